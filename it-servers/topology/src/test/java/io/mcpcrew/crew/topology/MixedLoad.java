package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.testing.TestTokens;
import io.mcpcrew.crew.topology.Ledger.Call;
import io.mcpcrew.crew.topology.Ledger.Op;
import io.mcpcrew.crew.topology.Ledger.SessionTrack;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady mixed load from outside over the HTTP API of the nodes (round robin through {@link Fleet#pick()}):
 * {@link #THREADS} client threads, each paced to {@link #RATE_PER_THREAD} calls a second, cycling through task enqueues
 * ({@code echo}, over six queues), event publishes (six streams), session creates, updates and reads (each thread
 * updates only its own sessions, with an increasing {@code v}), task reads and rate-limit checks. Bounded by a stop
 * signal, a time limit and a number of calls. A call refused at connect (a node gone) is sent to the next node; any
 * other failure is recorded as it is (an outcome the client cannot know).
 */
final class MixedLoad {
    static final int THREADS = 6;
    static final int RATE_PER_THREAD = 20;
    static final int QUEUES = 6;
    static final int STREAMS = 6;
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** The cycle each thread walks: 6 enqueues, 5 publishes, 4 updates, 2 checks, a create, a session read, a task read. */
    private static final Op[] CYCLE = {Op.TASK_ENQUEUE, Op.EVENT_PUBLISH, Op.SESSION_UPDATE, Op.TASK_ENQUEUE,
        Op.LIMIT_CHECK, Op.EVENT_PUBLISH, Op.SESSION_CREATE, Op.TASK_ENQUEUE, Op.SESSION_UPDATE, Op.EVENT_PUBLISH,
        Op.TASK_READ, Op.TASK_ENQUEUE, Op.SESSION_UPDATE, Op.EVENT_PUBLISH, Op.LIMIT_CHECK, Op.TASK_ENQUEUE,
        Op.SESSION_READ, Op.EVENT_PUBLISH, Op.SESSION_UPDATE, Op.TASK_ENQUEUE};

    private final Fleet fleet;
    private final String tenant;
    private final String token;
    private final Ledger ledger;
    private final int maxCalls;
    private final long deadline;
    private final AtomicInteger calls = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    MixedLoad(Fleet fleet, String tenant, Ledger ledger, Duration limit, int maxCalls) {
        this.fleet = fleet;
        this.tenant = tenant;
        this.token = TestTokens.forTenant(tenant);
        this.ledger = ledger;
        this.maxCalls = maxCalls;
        this.deadline = System.nanoTime() + limit.toNanos();
    }

    /** Calls a second all threads aim at. */
    static int targetRate() {
        return THREADS * RATE_PER_THREAD;
    }

    void start() {
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread th = new Thread(() -> new Client(id).run(), "load-" + tenant + "-" + t);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
    }

    /** Stops the load and waits for the calls in flight (at most the call timeout). */
    void stop() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join(CALL_TIMEOUT.toMillis() + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean go() {
        return !stopped && System.nanoTime() < deadline && calls.incrementAndGet() <= maxCalls;
    }

    /** One client thread and its own sessions and recent tasks. */
    private final class Client {
        private final int id;
        private final ArrayDeque<SessionTrack> sessions = new ArrayDeque<>();
        private final ArrayDeque<String[]> recentTasks = new ArrayDeque<>();
        private int seq;
        private int users;

        Client(int id) {
            this.id = id;
        }

        void run() {
            long period = TimeUnit.SECONDS.toNanos(1) / RATE_PER_THREAD;
            long next = System.nanoTime() + id * period / THREADS;
            while (go()) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    RedisTools.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
                }
                next = Math.max(next + period, System.nanoTime() - period); // late: no burst to catch up
                Op op = CYCLE[seq % CYCLE.length];
                if ((op == Op.SESSION_UPDATE || op == Op.SESSION_READ) && sessions.isEmpty()) {
                    op = Op.SESSION_CREATE;
                }
                if (op == Op.TASK_READ && recentTasks.isEmpty()) {
                    op = Op.TASK_ENQUEUE;
                }
                call(op, tenant + "-" + id + "-" + seq++);
            }
        }

        private void call(Op op, String marker) {
            String t = "/crew/api/v1/tenants/" + tenant;
            switch (op) {
                case TASK_ENQUEUE: {
                    String q = "q" + Math.floorMod(marker.hashCode(), QUEUES);
                    Answer a = send(op, tag(q), "POST", t + "/queues/" + q + "/tasks",
                            "{\"name\":\"echo\",\"payload\":{\"m\":\"" + marker + "\"}}");
                    if (a.status == 201) {
                        String taskId = a.json().getString("id");
                        ledger.tasks.put(taskId, q);
                        recentTasks.addLast(new String[] {q, taskId});
                        if (recentTasks.size() > 20) {
                            recentTasks.removeFirst();
                        }
                    } else if (a.unknown()) {
                        ledger.unknownTasks.put(marker, q);
                    }
                    break;
                }
                case TASK_READ: {
                    String[] task = recentTasks.removeFirst();
                    send(op, tag(task[0]), "GET", t + "/queues/" + task[0] + "/tasks/" + task[1], null);
                    break;
                }
                case EVENT_PUBLISH: {
                    String s = "s" + Math.floorMod(marker.hashCode(), STREAMS);
                    Answer a = send(op, tag(s), "POST", t + "/streams/" + s + "/events",
                            "{\"type\":\"topology.load\",\"data\":{\"m\":\"" + marker + "\"}}");
                    if (a.status == 201 || a.status == 202) {
                        ledger.events.put(marker, s);
                    } else if (a.unknown()) {
                        ledger.unknownEvents.put(marker, s);
                    }
                    break;
                }
                case SESSION_CREATE: {
                    String user = "u" + id + "x" + users++;
                    Answer a = send(op, tag(user), "POST", t + "/sessions", "{\"userId\":\"" + user + "\",\"data\":{\"v\":0}}");
                    if (a.status == 201) {
                        SessionTrack s = new SessionTrack(a.json().getString("id"));
                        ledger.sessions.put(s.id, s);
                        sessions.addLast(s);
                        if (sessions.size() > 5) {
                            sessions.removeFirst(); // kept in the ledger, no longer updated
                        }
                    }
                    break;
                }
                case SESSION_UPDATE: {
                    SessionTrack s = sessions.removeFirst();
                    sessions.addLast(s);
                    int v = s.sent + 1;
                    s.sent = v;
                    Answer a = send(op, tag(s.user()), "PATCH", t + "/sessions/" + s.id, "{\"v\":" + v + "}");
                    if (a.status == 200) {
                        s.acked = v;
                    }
                    break;
                }
                case SESSION_READ:
                    send(op, tag(sessions.peekLast().user()), "GET", t + "/sessions/" + sessions.peekLast().id, null);
                    break;
                default: // LIMIT_CHECK
                    send(op, tag("r" + (seq % 4)), "POST", t + "/ratelimits/r" + (seq % 4) + "/check",
                            "{\"maxRequests\":100000,\"windowSeconds\":1}");
            }
        }

        /**
         * Sends to the next node in rotation; a connect refusal goes to the next one (at most three nodes). {@code tag}
         * is the hash tag of the keys the call is about (which shard of a Cluster holds its data).
         */
        private Answer send(Op op, String tag, String method, String path, String json) {
            for (int attempt = 0; attempt < 3; attempt++) {
                MicroNode node = fleet.pick();
                if (node == null) {
                    break;
                }
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.base() + path)).timeout(CALL_TIMEOUT)
                        .header("Authorization", "Bearer " + token)
                        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json));
                if (json != null) {
                    b.header("Content-Type", "application/json");
                }
                long t0 = System.nanoTime();
                int status;
                String body = null;
                boolean retryAfter = false;
                try {
                    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                    body = r.body();
                    retryAfter = r.headers().firstValue("Retry-After").isPresent();
                } catch (ConnectException refused) {
                    continue; // never reached the node: the next one
                } catch (HttpTimeoutException e) {
                    status = Ledger.TIMED_OUT;
                } catch (IOException e) {
                    status = Ledger.BROKEN;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    status = Ledger.BROKEN;
                }
                ledger.record(new Call(op, node.index(), t0, System.nanoTime() - t0, status, retryAfter, tag), body);
                return new Answer(status, body);
            }
            ledger.record(new Call(op, -1, System.nanoTime(), 0, Ledger.NO_NODE, false, tag), null);
            return new Answer(Ledger.NO_NODE, null);
        }
    }

    /** The hash tag of the tenant's keys about {@code name} (a queue, stream, user or limited resource). */
    private String tag(String name) {
        return "{" + tenant + "." + name + "}";
    }

    /** A status and its body. */
    private record Answer(int status, String body) {
        JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        boolean unknown() {
            return status == Ledger.TIMED_OUT || status == Ledger.BROKEN;
        }
    }
}
