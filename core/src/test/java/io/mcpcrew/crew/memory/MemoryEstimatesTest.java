package io.mcpcrew.crew.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.redis.KeyspaceScan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic of the memory estimate and the key layout it reads, on numbers chosen by hand. */
class MemoryEstimatesTest {

    @Test
    void keysBelongToATenantAndComponentBySegments() {
        assertEquals(new KeyOwner("acme", "tasks"), KeyOwner.of("crew", "crew:acme:tasks:{acme.q}:pending:normal:x"));
        assertEquals(new KeyOwner("acme", "ratelimit-policy"), KeyOwner.of("crew", "crew:acme:ratelimit-policy"));
        assertEquals(new KeyOwner("_sys", "tasks"), KeyOwner.of("crew", "crew:_sys:tasks:queues"));
        assertEquals(new KeyOwner("_sys", "catalog"), KeyOwner.of("crew", "crew:_sys:catalog:tenants"));
        assertEquals(new KeyOwner("acme", "catalog"), KeyOwner.of("crew", "crew:acme:catalog:queues"));
        assertEquals(new KeyOwner("acme", "_other"), KeyOwner.of("crew", "crew:acme:Weird:x"));
        for (String outside : List.of("other:acme:tasks", "crewx:acme:tasks:1", "crew:", "crew:acme", "crew:a:b:c".substring(4),
                "crew:bad tenant:tasks:x", "crew::tasks", "plain")) {
            KeyOwner o = KeyOwner.of("crew", outside);
            assertEquals(new KeyOwner("_outside", "_other"), o, outside);
            assertFalse(o.isTenant());
        }
        assertTrue(KeyOwner.of("my-app", "my-app:t1:events:{t1.s}").isTenant());
    }

    /** Sizes measured: a group's own keys. */
    private static RedisMemoryEstimator.Sizes sizes(double... xs) {
        RedisMemoryEstimator.Sizes s = new RedisMemoryEstimator.Sizes();
        for (double x : xs) {
            s.add(x);
        }
        return s;
    }

    @Test
    void aShareIsItsKeysTimesItsMeanSizeWithTheStandardErrorOfThatMean() {
        KeyOwner a = new KeyOwner("a", "cache");
        KeyOwner b = new KeyOwner("b", "cache");
        KeyOwner c = new KeyOwner("c", "cache");
        Map<KeyOwner, Double> keys = new HashMap<>(Map.of(a, 100.0, b, 10.0, c, 4.0));
        Map<KeyOwner, RedisMemoryEstimator.Sizes> own = new HashMap<>(Map.of(a, sizes(100, 200, 300, 400), b, sizes(50)));
        Map<String, RedisMemoryEstimator.Sizes> component = Map.of("cache", sizes(100, 200, 300, 400, 50));
        RedisMemoryEstimator.Estimates e = new RedisMemoryEstimator.Estimates(keys, own, component);

        // a: 4 of 100 keys measured, mean 250, s = 129.0994: SE = 100 * s / 2 * sqrt(1 - 4/100)
        double[] ga = e.group(a);
        assertEquals(25_000, ga[0], 1e-9);
        assertEquals(100 * 129.09944487358056 / 2 * Math.sqrt(0.96), Math.sqrt(ga[1]), 1e-6);
        assertEquals(4, ga[3]);
        // b: one key measured: its size, the component's spread
        double[] gb = e.group(b);
        assertEquals(500, gb[0], 1e-9);
        double sComponent = component.get("cache").sd();
        assertEquals(10 * sComponent * Math.sqrt(0.9), Math.sqrt(gb[1]), 1e-6);
        // c: none measured: the component's mean and spread
        double[] gc = e.group(c);
        assertEquals(4 * 210, gc[0], 1e-9);
        assertEquals(4 * sComponent, Math.sqrt(gc[1]), 1e-6);
        assertEquals(0, gc[3]);

        MemoryEstimate m = e.build(new EstimateRequest(null, new KeyspaceScan.Budget(100, 10), 10, 5, 2),
                new KeyspaceScan.Result(List.of()), new MemoryEstimate.Sampling(5, 10, 0, 5),
                new MemoryEstimate.Cost(1, 1), List.of());
        assertEquals(Math.round(25_000 + 500 + 840.0), m.total().bytes());
        assertEquals(114, m.total().keys());
        assertEquals(Math.round(Math.sqrt(ga[1] + gb[1] + gc[1])), m.total().standardError());
        assertEquals(List.of("a", "c"), m.tenants().stream().map(MemoryEstimate.TenantShare::tenant).toList());
        assertEquals("1", m.otherTenants().name());
        assertEquals(500, m.otherTenants().bytes());
        assertEquals(List.of("cache"), m.components().stream().map(MemoryEstimate.Share::name).toList());
    }

    @Test
    void everyKeyMeasuredLeavesNoSamplingError() {
        KeyOwner a = new KeyOwner("a", "events");
        Map<KeyOwner, Double> keys = Map.of(a, 3.0);
        RedisMemoryEstimator.Estimates e = new RedisMemoryEstimator.Estimates(keys, Map.of(a, sizes(10, 20, 60)),
                Map.of("events", sizes(10, 20, 60)));
        double[] g = e.group(a);
        assertEquals(90, g[0], 1e-9);
        assertEquals(0, g[1], 1e-12);
    }

    @Test
    void partialWalksExtrapolateByDbSizeOverKeysScanned() {
        KeyspaceScan.NodeScan partial = new KeyspaceScan.NodeScan("n1", 1000, 250, 3, false);
        assertEquals(4.0, partial.weight());
        assertEquals(1.0, new KeyspaceScan.NodeScan("n2", 1000, 1010, 3, true).weight());
        KeyspaceScan.Result r = new KeyspaceScan.Result(List.of(partial,
                new KeyspaceScan.NodeScan("n2", 500, 500, 1, true)));
        assertFalse(r.complete());
        assertEquals(750.0 / 1500, r.coverage(), 1e-12);
        assertEquals(4, r.calls());
        assertEquals(4 + 2 + 1, r.roundTrips(true));
    }
}
