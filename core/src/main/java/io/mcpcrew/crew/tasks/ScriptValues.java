package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** How the task scripts' arguments are written and their replies read. */
final class ScriptValues {
    private ScriptValues() {
    }

    /** The current time as a script argument (epoch ms). */
    static String now() {
        return Long.toString(System.currentTimeMillis());
    }

    /** The tenant's TTL of {@code type} as a script argument (ms). */
    static String ttlMillis(TenantRedis redis, DataType type) {
        return Long.toString(redis.ttl(type).toMillis());
    }

    /** A bulk reply as text (null stays null). */
    static String str(Object o) {
        return o == null ? null : o instanceof byte[] ? new String((byte[]) o, StandardCharsets.UTF_8) : o.toString();
    }

    /** An integer reply, or a bulk reply holding one (null or empty: 0). */
    static long num(Object o) {
        if (o instanceof Number) {
            return ((Number) o).longValue();
        }
        String s = str(o);
        return s == null || s.isEmpty() ? 0 : Long.parseLong(s);
    }

    /** A reply of 1/0 per item as booleans. */
    static List<Boolean> flags(List<Object> r) {
        List<Boolean> out = new ArrayList<>(r.size());
        for (Object o : r) {
            out.add(num(o) == 1);
        }
        return out;
    }
}
