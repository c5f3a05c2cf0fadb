package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.tasks.NamedTaskHandler;
import io.mcpcrew.crew.tasks.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Test-deployment task handler {@value #NAME}, bounded the MicroProfile Fault Tolerance way: each call at most
 * {@value #TIMEOUT_MS} ms ({@code @Timeout}) and at most 5 at once by its annotation ({@code @Bulkhead(5)}), which
 * the deployment's MP Config lowers to {@value #BULKHEAD} ({@value #BULKHEAD_KEY}, in a jar of its own). Payload
 * {@code {"ms": n}}: sleeps n ms. It counts the calls that got in and the most that ran at once.
 */
@ApplicationScoped
public class FtProbeHandler implements NamedTaskHandler {
    static final String NAME = "ft-probe";
    static final long TIMEOUT_MS = 3_000;
    static final int BULKHEAD = 2;
    static final String BULKHEAD_KEY = "io.mcpcrew.crew.web.tasks.FtProbeHandler/handle/Bulkhead/value";

    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final AtomicInteger entered = new AtomicInteger();

    @Override
    public String taskName() {
        return NAME;
    }

    @Override
    @Timeout(TIMEOUT_MS)
    @Bulkhead(5)
    public String handle(Task task) throws InterruptedException {
        entered.incrementAndGet();
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            long ms;
            try (JsonReader r = Json.createReader(new StringReader(task.payload()))) {
                ms = r.readObject().getJsonNumber("ms").longValue();
            }
            Thread.sleep(ms);
            return "{\"sleptMs\":" + ms + "}";
        } finally {
            running.decrementAndGet();
        }
    }

    /** {@code entered}, {@code running} and {@code mostAtOnce} since the last {@link #reset}. */
    public JsonObject stats() {
        return Json.createObjectBuilder().add("entered", entered.get()).add("running", running.get())
                .add("mostAtOnce", mostAtOnce.get()).build();
    }

    public void reset() {
        entered.set(0);
        mostAtOnce.set(running.get());
    }
}
