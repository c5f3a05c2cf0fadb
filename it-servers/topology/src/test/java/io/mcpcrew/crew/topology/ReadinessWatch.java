package io.mcpcrew.crew.topology;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * The load balancer's health checks: one thread per node asks {@code /health/ready} every {@link #PERIOD_MS} ms with a
 * {@link #TIMEOUT_MS} ms client timeout while the node is admitted, records every answer (status, time taken) and
 * puts the node in or out of rotation by it.
 */
final class ReadinessWatch implements AutoCloseable {
    static final long PERIOD_MS = 200;
    static final long TIMEOUT_MS = 5000;
    /** Status recorded when the client timed out, and when the connection failed. */
    static final int TIMED_OUT = -2;
    static final int NO_ANSWER = -1;

    /** One readiness answer: which node, when asked (nanoTime), how long it took, the status (the body if not 200). */
    record Sample(int node, long askedAt, long nanos, int status, String body) {
        boolean ready() {
            return status == 200;
        }
    }

    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(TIMEOUT_MS)).build();
    private volatile boolean running = true;

    ReadinessWatch(Fleet fleet) {
        for (MicroNode n : fleet.nodes()) {
            Thread t = new Thread(() -> watch(n), "readiness-node-" + n.index());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void watch(MicroNode n) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(n.base() + "/health/ready"))
                .timeout(Duration.ofMillis(TIMEOUT_MS)).build();
        while (running) {
            long t0 = System.nanoTime();
            if (n.admitted()) {
                int status;
                String body = null;
                try {
                    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                    body = status == 200 ? null : r.body().length() > 400 ? r.body().substring(0, 400) : r.body();
                } catch (HttpTimeoutException e) {
                    status = TIMED_OUT;
                } catch (ConnectException e) {
                    status = NO_ANSWER;
                } catch (IOException e) {
                    status = NO_ANSWER;
                } catch (InterruptedException e) {
                    return;
                }
                if (n.admitted()) { // not taken out while the answer came
                    samples.add(new Sample(n.index(), t0, System.nanoTime() - t0, status, body));
                    n.setReady(status == 200);
                }
            }
            long left = PERIOD_MS - (System.nanoTime() - t0) / 1_000_000;
            if (left > 0) {
                try {
                    Thread.sleep(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The answers asked from {@code from} (nanoTime) on. */
    List<Sample> since(long from) {
        return samples.stream().filter(s -> s.askedAt() >= from).collect(Collectors.toList());
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
    }
}
