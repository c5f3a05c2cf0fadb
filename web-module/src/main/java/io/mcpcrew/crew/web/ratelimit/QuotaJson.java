package io.mcpcrew.crew.web.ratelimit;

import io.mcpcrew.crew.ratelimit.Limit;
import io.mcpcrew.crew.ratelimit.LimitAlgorithm;
import io.mcpcrew.crew.ratelimit.LimitState;
import io.mcpcrew.crew.ratelimit.LimitUnit;
import io.mcpcrew.crew.ratelimit.LimitUsage;
import io.mcpcrew.crew.ratelimit.Quota;
import io.mcpcrew.crew.ratelimit.RateLimitSettings;
import io.mcpcrew.crew.ratelimit.QuotaDecision;
import io.mcpcrew.crew.ratelimit.QuotaUsage;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.web.json.JsonFields;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Policies and decisions of several limits in JSON: the {@code "limits"} array of a policy body
 * ({@code [{"name":"tpm","unit":"tokens","algorithm":"token-bucket","max":150000,"windowSeconds":60,"burst":300000}]};
 * {@code unit} defaults to {@code tokens}, {@code algorithm} to {@code exact-log}, {@code burst} to {@code max}), and
 * the answers of checks, adjusts, usage and policy reads.
 */
final class QuotaJson {
    /** The largest {@code max} or {@code burst} a body may name (the configured ceiling applies too). */
    static final long MAX_UNITS = RateLimitSettings.MAX_UNITS;

    private QuotaJson() {
    }

    /** The {@code "limits"} of a policy body, or null when the body has none. */
    static Quota limits(JsonFields body) {
        List<JsonFields> items = body.objects("limits");
        if (items == null) {
            return null;
        }
        List<Limit> limits = new ArrayList<>(items.size());
        for (JsonFields l : items) {
            String unit = l.string("unit");
            String algorithm = l.string("algorithm");
            Long max = required(l, "max", l.integer("max", 1, MAX_UNITS, "the configured ceiling applies too"));
            Long seconds = required(l, "windowSeconds", l.integer("windowSeconds", 1, LimitRequest.MAX_WINDOW_SECONDS,
                    "366 days; the configured window ceiling applies too"));
            Long burst = l.integer("burst", 1, MAX_UNITS, "token-bucket limits only");
            LimitAlgorithm a = algorithm == null ? LimitAlgorithm.EXACT_LOG : LimitAlgorithm.parse(algorithm);
            if (burst != null && a != LimitAlgorithm.TOKEN_BUCKET) {
                throw new InvalidInputException("field \"" + l.where() + ".burst\" is for token-bucket limits only");
            }
            limits.add(new Limit(l.requiredString("name", "the limit's name, e.g. \"tpm\""),
                    unit == null ? LimitUnit.TOKENS : LimitUnit.parse(unit), a, max, Duration.ofSeconds(seconds),
                    burst == null ? max : burst));
        }
        return new Quota(limits);
    }

    private static Long required(JsonFields l, String name, Long value) {
        if (value == null) {
            throw new InvalidInputException("field \"" + l.where() + "." + name + "\" is required");
        }
        return value;
    }

    /** A policy: its limits, and the exact log's {@code maxRequests} / {@code windowSeconds} when it is one. */
    static Map<String, Object> policy(Quota q, boolean stored) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (q.isExactLog()) {
            Limit l = q.limits().get(0);
            m.put("maxRequests", l.max());
            m.put("windowSeconds", RateLimitHeaders.secondsCeil(l.window()));
        }
        m.put("override", stored);
        m.put("limits", q.limits().stream().map(QuotaJson::limit).toList());
        return m;
    }

    private static Map<String, Object> limit(Limit l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", l.name());
        m.put("unit", l.unit().text());
        m.put("algorithm", l.algorithm().text());
        m.put("max", l.max());
        m.put("windowSeconds", RateLimitHeaders.secondsCeil(l.window()));
        if (l.algorithm() == LimitAlgorithm.TOKEN_BUCKET) {
            m.put("burst", l.burst());
        }
        return m;
    }

    /**
     * A decision: the fields of a single-limit decision ({@code limit}, {@code windowSeconds}, {@code remaining},
     * {@code resetAfterMillis} of the limit that binds), {@code refusedBy}, and every limit's state.
     */
    static Map<String, Object> decision(String tenant, String resource, QuotaDecision d) {
        LimitState binding = d.binding();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("resource", resource);
        m.put("allowed", d.allowed());
        m.put("limit", binding.limit().max());
        m.put("windowSeconds", RateLimitHeaders.secondsCeil(binding.limit().window()));
        m.put("remaining", binding.remaining());
        m.put("resetAfterMillis", ceilMillis(binding.resetAfter()));
        m.put("retryAfterMillis", ceilMillis(d.retryAfter()));
        m.put("decidedBy", d.decidedBy().name());
        m.put("decidedAt", d.decidedAt().toString());
        if (d.refusedBy() != null) {
            m.put("refusedBy", d.refusedBy());
        }
        List<Map<String, Object>> limits = new ArrayList<>();
        for (LimitState ls : d.limits()) {
            Map<String, Object> l = limit(ls.limit());
            l.put("remaining", ls.remaining());
            l.put("resetAfterMillis", ceilMillis(ls.resetAfter()));
            l.put("retryAfterMillis", ceilMillis(ls.retryAfter()));
            limits.add(l);
        }
        m.put("limits", limits);
        return m;
    }

    /**
     * A usage: per limit of the policy its fields ({@code name}, {@code unit}, {@code algorithm}, {@code max},
     * {@code windowSeconds}, {@code burst}) and {@code used}, {@code remaining}, {@code resetAfterMillis},
     * {@code retryAfterMillis} (until it admits one more unit).
     */
    static Map<String, Object> usage(String tenant, QuotaUsage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("resource", u.resource());
        m.put("decidedBy", u.decidedBy().name());
        m.put("readAt", u.readAt().toString());
        List<Map<String, Object>> limits = new ArrayList<>();
        for (LimitUsage lu : u.limits()) {
            Map<String, Object> l = limit(lu.limit());
            l.put("used", lu.used());
            l.put("remaining", lu.remaining());
            l.put("resetAfterMillis", ceilMillis(lu.resetAfter()));
            l.put("retryAfterMillis", ceilMillis(lu.retryAfter()));
            limits.add(l);
        }
        m.put("limits", limits);
        return m;
    }

    private static long ceilMillis(Duration d) {
        return (d.toNanos() + 999_999) / 1_000_000;
    }
}
