package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.testing.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node's Prometheus metrics ({@code /crew/api/v1/metrics}, scrape token), read for a few sums. */
final class NodeMetrics {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private final String text;

    private NodeMetrics(String text) {
        this.text = text;
    }

    static NodeMetrics scrape(MicroNode node) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(node.base() + "/crew/api/v1/metrics"))
                .header("Authorization", "Bearer " + TestTokens.scraper()).timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> a = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            if (a.statusCode() != 200) {
                throw new IllegalStateException("metrics of node " + node.index() + " answered " + a.statusCode());
            }
            return new NodeMetrics(a.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot scrape node " + node.index() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of a metric's samples whose labels include every pair of {@code labels}. */
    double sum(String name, Map<String, String> labels) {
        double total = 0;
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            String set = m.group(3) == null ? "" : m.group(3);
            boolean all = true;
            for (Map.Entry<String, String> want : labels.entrySet()) {
                boolean found = false;
                Matcher l = LABEL.matcher(set);
                while (l.find()) {
                    if (l.group(1).equals(want.getKey()) && l.group(2).equals(want.getValue())) {
                        found = true;
                    }
                }
                all &= found;
            }
            if (all) {
                total += Double.parseDouble(m.group(4));
            }
        }
        return total;
    }
}
