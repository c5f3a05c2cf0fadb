package io.mcpcrew.crew.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every thread and executor of the application comes from {@link CrewThreads}: the main sources of core, the EJB
 * module and the web module are read, comments left out, and every other place that makes a thread, a thread
 * pool or a thread factory of its own, or runs work on the JVM's common pool, is named with its file and line.
 * (The server's own executors injected with {@code @Resource} are the container's, and allowed.)
 */
class ThreadSourcesTest {
    /** The modules whose main sources are read, relative to the project root. */
    static final List<String> MODULES = List.of("core", "ejb-module", "web-module");
    /** The one file allowed to make threads. */
    static final String ALLOWED = "core/src/main/java/io/mcpcrew/crew/concurrency/CrewThreads.java";

    /** What makes a thread or an executor, by what it is called in a message. */
    static final Map<String, Pattern> SOURCES = Map.ofEntries(
            Map.entry("new Thread", Pattern.compile("\\bnew\\s+(?:java\\.lang\\.)?Thread\\s*\\(")),
            Map.entry("Thread subclass", Pattern.compile("\\bextends\\s+(?:java\\.lang\\.)?Thread\\b")),
            Map.entry("Thread builder", Pattern.compile("\\bThread\\s*\\.\\s*(?:ofVirtual|ofPlatform|startVirtualThread)\\b")),
            Map.entry("Executors factory", Pattern.compile(
                    "\\bExecutors\\s*\\.\\s*(?:new\\w+|defaultThreadFactory|privilegedThreadFactory)\\b")),
            Map.entry("executor constructor", Pattern.compile(
                    "\\bnew\\s+(?:[\\w.]+\\.)?(?:ThreadPoolExecutor|ScheduledThreadPoolExecutor|ForkJoinPool|Timer)\\s*[(<]")),
            Map.entry("thread factory class", Pattern.compile("\\bimplements\\b[^{;]*\\bThreadFactory\\b")),
            Map.entry("managed thread factory", Pattern.compile("ManagedThreadFactory\\b")),
            Map.entry("common pool", Pattern.compile(
                    "\\bForkJoinPool\\s*\\.\\s*commonPool\\b|\\.\\s*parallelStream\\s*\\(|\\.\\s*parallel\\s*\\(\\s*\\)")),
            Map.entry("CompletableFuture on a pool", Pattern.compile("\\b(?:runAsync|supplyAsync|delayedExecutor)\\s*\\("
                    + "|\\.\\s*\\w+Async\\s*\\(|\\.\\s*(?:orTimeout|completeOnTimeout)\\s*\\(")));

    static Path projectRoot() {
        Path core = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = core.getFileName() != null && core.getFileName().toString().equals("core") ? core.getParent() : core;
        for (String m : MODULES) {
            assertTrue(Files.isDirectory(root.resolve(m).resolve("src/main/java")),
                    "no " + m + "/src/main/java under " + root + " (the test runs from the core module)");
        }
        return root;
    }

    @Test
    void onlyCrewThreadsMakesThreadsOrExecutors() throws IOException {
        Path root = projectRoot();
        List<String> offenders = new ArrayList<>();
        int files = 0;
        List<String> inCrewThreads = List.of();
        for (String module : MODULES) {
            List<Path> sources;
            try (Stream<Path> walk = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                sources = walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
            }
            for (Path p : sources) {
                files++;
                String relative = root.relativize(p).toString().replace('\\', '/');
                List<String> found = scan(relative, Files.readString(p, StandardCharsets.UTF_8));
                if (relative.equals(ALLOWED)) {
                    inCrewThreads = found;
                } else {
                    offenders.addAll(found);
                }
            }
        }
        assertTrue(files > 50, "read only " + files + " source files under " + root);
        // the patterns see the real thing: CrewThreads itself makes threads, pools and uses the managed factory
        assertTrue(inCrewThreads.stream().anyMatch(s -> s.contains("new Thread"))
                && inCrewThreads.stream().anyMatch(s -> s.contains("executor constructor"))
                && inCrewThreads.stream().anyMatch(s -> s.contains("managed thread factory")),
                "the scan should find CrewThreads' own thread sources: " + inCrewThreads);
        assertTrue(offenders.isEmpty(), "threads or executors made outside " + ALLOWED
                + " (take them from CrewThreads: managed threads in a container):\n" + String.join("\n", offenders));
    }

    @Test
    void everyKindOfThreadSourceIsFoundWithItsLineAndCommentsAreNot() {
        String source = String.join("\n",
                "class X extends Base implements Runnable {", // 1
                "  // new Thread(r) in a line comment", // 2
                "  /* Executors.newFixedThreadPool(4) in a block", // 3
                "     comment, new Timer() */ String s = \"// not a comment\";", // 4
                "  Thread t = new Thread(r, \"x\");", // 5
                "  ExecutorService e = Executors.newFixedThreadPool(4);", // 6
                "  ScheduledExecutorService s = Executors", // 7
                "      .newSingleThreadScheduledExecutor();", // 8
                "  Executor p = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, MILLISECONDS, q);", // 9
                "  class Worker extends Thread { }", // 10
                "  class F implements java.util.concurrent.ThreadFactory { }", // 11
                "  @Resource ManagedThreadFactory threads;", // 12
                "  Object o = lookup(\"java:comp/DefaultManagedThreadFactory\");", // 13
                "  list.parallelStream().forEach(x -> { });", // 14
                "  CompletableFuture.runAsync(() -> { });", // 15
                "  future.thenApplyAsync(f);", // 16
                "  Thread.ofVirtual().start(r);", // 17
                "  new Timer(true);", // 18
                "  ForkJoinPool.commonPool().execute(r);", // 19
                "  future.orTimeout(1, SECONDS);", // 20
                "  Thread[] one = new Thread[1]; Thread.sleep(5); kickAsync; char c = '\"';", // 21
                "}");
        List<String> found = scan("X.java", source);
        List<Integer> lines = found.stream().map(s -> Integer.parseInt(s.split(":")[1])).distinct().sorted()
                .collect(Collectors.toList());
        assertEquals(List.of(5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), lines, String.join("\n", found));
        assertTrue(found.contains("X.java:5: new Thread: Thread t = new Thread(r, \"x\");"), String.join("\n", found));
    }

    /** Each thread source in {@code text} as {@code file:line: kind: the line}; comments are not read. */
    static List<String> scan(String file, String text) {
        String code = withoutComments(text);
        String[] original = text.split("\n", -1);
        List<int[]> hits = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (Map.Entry<String, Pattern> e : SOURCES.entrySet()) {
            Matcher m = e.getValue().matcher(code);
            while (m.find()) {
                hits.add(new int[] {lineOf(code, m.start()), hits.size()});
                kinds.add(e.getKey());
            }
        }
        hits.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : kinds.get(a[1]).compareTo(kinds.get(b[1])));
        List<String> out = new ArrayList<>();
        for (int[] h : hits) {
            out.add(file + ":" + h[0] + ": " + kinds.get(h[1]) + ": " + original[h[0] - 1].trim());
        }
        return out;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** {@code text} with every comment blanked out (line breaks kept); string and char literals are kept. */
    static String withoutComments(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (text.startsWith("//", i)) {
                while (i < n && text.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (; i < end; i++) {
                    out.append(text.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else if (text.startsWith("\"\"\"", i)) {
                int end = text.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                out.append(text, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && text.charAt(j) != c && text.charAt(j) != '\n') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(n, j + 1);
                out.append(text, i, j);
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
