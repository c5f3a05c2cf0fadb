package io.mcpcrew.crew.tasks;

import java.net.InetAddress;

/**
 * Who holds the leases this process claims: {@code <host>-<pid>} (the host name with every character outside
 * {@code A-Z a-z 0-9 _ -} replaced by {@code -}, at most 40 characters; the JVM's process id). Lease tokens are
 * {@code <holder>.<claim>.<n>}, so an operator listing running tasks sees which process runs each one
 * ({@link TaskLease#holder()}).
 */
final class LeaseHolder {
    /** This process's holder id. */
    static final String ID = of(hostName(), ProcessHandle.current().pid());

    private LeaseHolder() {
    }

    static String of(String host, long pid) {
        String h = host == null ? "" : host.replaceAll("[^A-Za-z0-9_-]", "-");
        if (h.length() > 40) {
            h = h.substring(0, 40);
        }
        if (h.isEmpty() || !Character.isLetterOrDigit(h.charAt(0))) {
            h = "node" + h;
        }
        return h + "-" + pid;
    }

    /** The holder in a lease token {@code <holder>.<claim>.<n>}; null for a token of another form. */
    static String fromToken(String token) {
        if (token == null) {
            return null;
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        return first > 0 && second > first + 1 && second < token.length() - 1 ? token.substring(0, first) : null;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "node";
        }
    }
}
