package io.mcpcrew.crew.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a Prometheus (0.0.4) or OpenMetrics text exposition, for assertions on a scrape: each line
 * {@code name{k="v",...} value} becomes a sample; comments ({@code # HELP}, {@code # TYPE}, {@code # EOF}) are
 * skipped. Label values are unescaped ({@code \\}, {@code \"}, {@code \n}).
 */
public final class PrometheusText {
    /** One sample: metric name, labels in their order, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        /** True if the sample has every label of {@code kv} (pairs: key, value). */
        public boolean has(String... kv) {
            for (int i = 0; i + 1 < kv.length; i += 2) {
                if (!kv[i + 1].equals(labels.get(kv[i]))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space;
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < line.indexOf(' ')) {
                name = line.substring(0, brace);
                int i = brace + 1;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String key = line.substring(i, eq).trim();
                    StringBuilder v = new StringBuilder();
                    int j = eq + 2; // past ="
                    while (line.charAt(j) != '"') {
                        char c = line.charAt(j);
                        if (c == '\\') {
                            char n = line.charAt(++j);
                            v.append(n == 'n' ? '\n' : n);
                        } else {
                            v.append(c);
                        }
                        j++;
                    }
                    labels.put(key, v.toString());
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
                space = line.indexOf(' ', i);
            } else {
                space = line.indexOf(' ');
                name = line.substring(0, space);
            }
            String rest = line.substring(space + 1).trim();
            int more = rest.indexOf(' ');
            String value = more < 0 ? rest : rest.substring(0, more); // a timestamp or exemplar may follow
            out.add(new Sample(name, labels, parseValue(value)));
        }
        return new PrometheusText(out);
    }

    private static double parseValue(String v) {
        switch (v) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                return Double.parseDouble(v);
        }
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The samples of metric {@code name} with every label of {@code kv} (pairs: key, value). */
    public List<Sample> find(String name, String... kv) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name.equals(name) && s.has(kv)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The sum of the matching samples' values; 0 when none matches. */
    public double sum(String name, String... kv) {
        return find(name, kv).stream().mapToDouble(Sample::value).sum();
    }

    /** The one matching sample's value; fails naming the metric when none or several match. */
    public double value(String name, String... kv) {
        List<Sample> f = find(name, kv);
        if (f.size() != 1) {
            throw new AssertionError(f.size() + " samples of " + name + " " + List.of(kv) + " (expected one): " + f);
        }
        return f.get(0).value;
    }

    /** True if a sample of {@code name} with those labels exists. */
    public boolean has(String name, String... kv) {
        return !find(name, kv).isEmpty();
    }
}
