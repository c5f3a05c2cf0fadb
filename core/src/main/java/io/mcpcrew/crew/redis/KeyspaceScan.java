package io.mcpcrew.crew.redis;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A bounded walk over the keyspace of every master ({@link MasterNodes}): per master one {@code DBSIZE}, then
 * {@code SCAN <cursor> COUNT <count>} until the master's keyspace is done or the budget of SCAN calls is spent. The
 * budget is shared in order: each master may use what is left divided by the masters still to visit, so one that
 * finishes early leaves its calls to the next. No {@code MATCH}: every key is handed to the visitor, so the number of
 * keys a master's walk covered is known and a partial walk can be extrapolated by {@code DBSIZE / keys scanned}.
 * Holds nothing but the current page. SCAN's guarantee applies: a key present for the whole walk is returned, one
 * added or removed meanwhile may or may not be, and a rehash may return a key twice.
 */
public final class KeyspaceScan {
    /** The largest COUNT per SCAN call. */
    public static final int MAX_COUNT = 10_000;
    /** The most SCAN calls one walk may make. */
    public static final int MAX_CALLS = 100_000;

    private KeyspaceScan() {
    }

    /**
     * How much a walk may cost.
     *
     * @param count    the COUNT hint of each SCAN call (10 to {@value #MAX_COUNT})
     * @param maxCalls the most SCAN calls over all masters (1 to {@value #MAX_CALLS}; every master gets at least one)
     */
    public record Budget(int count, int maxCalls) {
        public Budget {
            if (count < 10 || count > MAX_COUNT) {
                throw new InvalidInputException("invalid scanCount " + count + ": must be from 10 to " + MAX_COUNT);
            }
            if (maxCalls < 1 || maxCalls > MAX_CALLS) {
                throw new InvalidInputException("invalid maxScanCalls " + maxCalls + ": must be from 1 to " + MAX_CALLS);
            }
        }
    }

    /** Receives each page of keys a master returned. */
    @FunctionalInterface
    public interface Visitor {
        void keys(String node, List<String> keys);
    }

    /**
     * What the walk of one master covered.
     *
     * @param node        {@code host:port}
     * @param dbSize      the master's {@code DBSIZE} before the walk
     * @param keysScanned keys SCAN returned (a key returned twice counts twice)
     * @param calls       SCAN calls made
     * @param complete    true if SCAN reached the end of the master's keyspace
     */
    public record NodeScan(String node, long dbSize, long keysScanned, int calls, boolean complete) {
        /** What a key seen here stands for: 1 after a complete walk, else {@code dbSize / keysScanned} (at least 1). */
        public double weight() {
            if (complete || keysScanned == 0) {
                return 1;
            }
            return Math.max(1.0, (double) dbSize / keysScanned);
        }
    }

    /** The walk of every master. */
    public record Result(List<NodeScan> nodes) {
        public Result {
            nodes = List.copyOf(nodes);
        }

        public long keysScanned() {
            return nodes.stream().mapToLong(NodeScan::keysScanned).sum();
        }

        public int calls() {
            return nodes.stream().mapToInt(NodeScan::calls).sum();
        }

        public long dbSize() {
            return nodes.stream().mapToLong(NodeScan::dbSize).sum();
        }

        /** True if every master's walk reached its end. */
        public boolean complete() {
            return nodes.stream().allMatch(NodeScan::complete);
        }

        /** The share of all masters' keys the walk returned: 1 when complete, else keys scanned / DBSIZE (at most 1). */
        public double coverage() {
            if (complete()) {
                return 1;
            }
            long db = dbSize();
            return db == 0 ? 1 : Math.min(1.0, (double) keysScanned() / db);
        }

        /**
         * Round trips the walk took: a {@code DBSIZE} and the SCAN calls per master, plus the {@code CLUSTER NODES}
         * that found the masters on a Cluster.
         */
        public int roundTrips(boolean cluster) {
            return calls() + nodes.size() + (cluster ? 1 : 0);
        }
    }

    /** Walks every master within {@code budget}, handing each page of keys to {@code visitor}. */
    public static Result run(RedisManager redis, Budget budget, Visitor visitor) {
        return redis.execute(client -> {
            List<MasterNodes.Node> masters = MasterNodes.masters(client);
            List<NodeScan> out = new ArrayList<>(masters.size());
            int left = budget.maxCalls();
            for (int i = 0; i < masters.size(); i++) {
                int allowance = Math.max(1, Math.min(left, left / (masters.size() - i)));
                NodeScan n = masters.get(i).call((node, j) -> walk(node, j, budget.count(), allowance, visitor));
                left = Math.max(0, left - n.calls());
                out.add(n);
            }
            return new Result(out);
        });
    }

    private static NodeScan walk(String node, Jedis j, int count, int allowance, Visitor visitor) {
        long dbSize = j.dbSize();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().count(count);
        long scanned = 0;
        int calls = 0;
        boolean complete = false;
        while (calls < allowance) {
            ScanResult<String> page = j.scan(cursor, params);
            calls++;
            List<String> keys = page.getResult();
            scanned += keys.size();
            if (!keys.isEmpty()) {
                visitor.keys(node, keys);
            }
            cursor = page.getCursor();
            if (ScanParams.SCAN_POINTER_START.equals(cursor)) {
                complete = true;
                break;
            }
        }
        return new NodeScan(node, dbSize, scanned, calls, complete);
    }
}
