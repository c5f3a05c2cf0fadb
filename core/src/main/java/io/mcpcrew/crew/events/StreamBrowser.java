package io.mcpcrew.crew.events;

import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.tenancy.NameRegistry;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.resps.StreamConsumerInfo;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * What exists of a tenant's events: its streams (the registry {@code <prefix>:<tenant>:catalog:streams} the publisher
 * writes on a stream's first write per process) and a stream's consumer groups with their consumers
 * ({@code XINFO GROUPS}, then {@code XINFO CONSUMERS} per group, in one connection).
 */
final class StreamBrowser {
    /** The most stream names one page holds. */
    static final int MAX_PAGE = 1000;

    private final NameRegistry catalog;

    StreamBrowser(NameRegistry catalog) {
        this.catalog = catalog;
    }

    Page<String> streams(TenantRedis t, String cursor, int limit) {
        return catalog.page(t, NameRegistry.STREAMS, cursor, limit, MAX_PAGE,
                s -> Names.require("stream name", s));
    }

    Optional<List<ConsumerGroup>> groups(TenantRedis t, String stream, int maxConsumers) {
        Names.require("stream name", stream);
        if (maxConsumers < 0 || maxConsumers > TenantEvents.MAX_CONSUMERS) {
            throw new InvalidInputException("invalid consumers " + maxConsumers + ": must be from 0 to "
                    + TenantEvents.MAX_CONSUMERS);
        }
        String key = StreamKeys.stream(t, stream);
        return t.execute(j -> {
            if (!j.exists(key)) {
                return Optional.empty();
            }
            List<ConsumerGroup> out = new ArrayList<>();
            for (StreamGroupInfo g : j.xinfoGroups(key)) {
                List<ConsumerGroup.StreamConsumer> consumers = new ArrayList<>();
                if (maxConsumers > 0 && g.getConsumers() > 0) {
                    for (StreamConsumerInfo c : j.xinfoConsumers2(key, g.getName())) {
                        if (consumers.size() == maxConsumers) {
                            break;
                        }
                        consumers.add(new ConsumerGroup.StreamConsumer(c.getName(), c.getPending(), c.getIdle(),
                                c.getInactive()));
                    }
                }
                out.add(new ConsumerGroup(g.getName(), g.getPending(),
                        g.getLastDeliveredId() == null ? null : g.getLastDeliveredId().toString(),
                        number(g.getGroupInfo().get("entries-read")), number(g.getGroupInfo().get("lag")),
                        g.getConsumers(), consumers));
            }
            return Optional.of(out);
        });
    }

    private static Long number(Object o) {
        return o instanceof Long ? (Long) o : null;
    }
}
