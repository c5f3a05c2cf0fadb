package io.mcpcrew.crew.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on 127.0.0.1 in front of a redis-server, for outages that keep Redis's data: {@link #cut()} closes
 * every relayed connection and stops listening (clients see their connections lost and new ones refused, as with a
 * crashed server), {@link #restore()} listens again on the same port. The server itself never stops, so it returns
 * with its data and without a loading phase.
 */
final class OutageProxy implements AutoCloseable {
    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket listener;

    private OutageProxy(int port, String targetHost, int targetPort) {
        this.port = port;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** A relay to {@code targetHost:targetPort} on a free port, listening. */
    static OutageProxy start(String targetHost, int targetPort) {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the proxy: " + e, e);
        }
        OutageProxy p = new OutageProxy(free, targetHost, targetPort);
        p.restore();
        return p;
    }

    String host() {
        return "127.0.0.1";
    }

    int port() {
        return port;
    }

    /** Listens again (no-op if listening). */
    synchronized void restore() {
        if (listener != null) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            listener = s;
            daemon(() -> accept(s), "outage-proxy-accept-" + port).start();
        } catch (IOException e) {
            throw new IllegalStateException("the proxy cannot listen on port " + port + " again: " + e, e);
        }
    }

    /** Stops listening and closes every relayed connection (no-op if cut). */
    synchronized void cut() {
        if (listener == null) {
            return;
        }
        closeQuietly(listener);
        listener = null;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    @Override
    public void close() {
        cut();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException closed) {
                return;
            }
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 1000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            synchronized (this) {
                if (listener != s) { // cut while this one was being connected
                    closeQuietly(client);
                    closeQuietly(upstream);
                    return;
                }
                open.add(client);
                open.add(upstream);
            }
            daemon(() -> pump(client, upstream), "outage-proxy-up-" + port).start();
            daemon(() -> pump(upstream, client), "outage-proxy-down-" + port).start();
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing
        }
    }
}
