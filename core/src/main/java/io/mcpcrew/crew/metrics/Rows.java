package io.mcpcrew.crew.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One metric whose series come and go with what a read of Redis found (queues, streams, groups, nodes): each
 * {@link #publish} sets the value of every series it names, adds the new ones and removes those it no longer names.
 * A gauge, or a counter for totals Redis keeps (which only grow while the key lives).
 */
public final class Rows {
    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final String unit;
    private final boolean counter;
    private final String[] keys;
    private final Map<List<String>, Row> rows = new HashMap<>();

    private Rows(MeterRegistry registry, String name, String description, String unit, boolean counter, String[] keys) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.unit = unit;
        this.counter = counter;
        this.keys = keys.clone();
    }

    /** A gauge with the label keys {@code keys} (every row gives a value for each, in this order). */
    public static Rows gauge(MeterRegistry registry, String name, String description, String unit, String... keys) {
        return new Rows(registry, name, description, unit, false, keys);
    }

    /** A counter of totals read from Redis, with the label keys {@code keys}. */
    public static Rows counter(MeterRegistry registry, String name, String description, String... keys) {
        return new Rows(registry, name, description, null, true, keys);
    }

    /** Collects the rows of one read; {@link Batch#publish} replaces every row of the metric with them. */
    public Batch batch() {
        return new Batch();
    }

    /** The rows of one read. */
    public final class Batch {
        private final Map<List<String>, Double> values = new HashMap<>();

        /** Sets the row with these label values ({@code keys.length} of them) to {@code value}. */
        public Batch set(double value, String... labelValues) {
            values.put(List.of(labelValues), value);
            return this;
        }

        /** Adds {@code value} to the row (0 if new). */
        public Batch add(double value, String... labelValues) {
            values.merge(List.of(labelValues), value, Double::sum);
            return this;
        }

        /** Keeps the larger of {@code value} and the row's value so far (0 if new). */
        public Batch max(double value, String... labelValues) {
            values.merge(List.of(labelValues), value, Math::max);
            return this;
        }

        public void publish() {
            Rows.this.publish(values);
        }
    }

    private synchronized void publish(Map<List<String>, Double> values) {
        for (Iterator<Map.Entry<List<String>, Row>> it = rows.entrySet().iterator(); it.hasNext();) {
            Map.Entry<List<String>, Row> e = it.next();
            if (!values.containsKey(e.getKey())) {
                registry.remove(e.getValue().meter);
                it.remove();
            }
        }
        for (Map.Entry<List<String>, Double> e : values.entrySet()) {
            Row r = rows.get(e.getKey());
            if (r == null) {
                r = new Row();
                r.value = e.getValue();
                r.meter = register(e.getKey(), r);
                rows.put(e.getKey(), r);
            }
            r.value = e.getValue();
        }
    }

    /** The series this metric has now (for tests). */
    public synchronized int size() {
        return rows.size();
    }

    private Meter register(List<String> labelValues, Row r) {
        if (labelValues.size() != keys.length) {
            throw new IllegalArgumentException(name + " takes " + keys.length + " labels, got " + labelValues);
        }
        String[] kv = new String[keys.length * 2];
        for (int i = 0; i < keys.length; i++) {
            kv[2 * i] = keys[i];
            kv[2 * i + 1] = labelValues.get(i);
        }
        Tags tags = Tags.of(kv);
        if (counter) {
            return FunctionCounter.builder(name, r, x -> x.value).description(description).tags(tags).register(registry);
        }
        return Gauge.builder(name, r, x -> x.value).description(description).baseUnit(unit).tags(tags)
                .strongReference(true).register(registry);
    }

    private static final class Row {
        volatile double value;
        Meter meter;
    }
}
