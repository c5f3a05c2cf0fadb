package io.mcpcrew.crew.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal file format, its recovery from a torn append, compaction, slots and adoption. */
class JournalTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(new String(r, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void recordsSurviveAReopenInOrder() {
        Path f = dir.resolve("a.journal");
        try (FileJournal j = FileJournal.open(f)) {
            j.append(b("one"));
            j.append(b(""));
            j.append(b("three"));
            assertEquals(3, j.count());
        }
        try (FileJournal j = FileJournal.open(f)) {
            assertEquals(List.of("one", "", "three"), strings(j.records()));
            assertEquals(3, j.count());
        }
    }

    @Test
    void aTornAppendIsDroppedAndTheRecordsBeforeItKept() throws Exception {
        Path f = dir.resolve("a.journal");
        try (FileJournal j = FileJournal.open(f)) {
            j.append(b("kept"));
        }
        long whole = Files.size(f);
        // a crash in the middle of the next append: a header promising 100 bytes, 3 of them written
        Files.write(f, new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 'a', 'b', 'c'}, StandardOpenOption.APPEND);
        try (FileJournal j = FileJournal.open(f)) {
            assertEquals(List.of("kept"), strings(j.records()));
            assertEquals(whole, Files.size(f), "the torn tail is cut off");
            j.append(b("next"));
        }
        try (FileJournal j = FileJournal.open(f)) {
            assertEquals(List.of("kept", "next"), strings(j.records()));
        }
    }

    @Test
    void aRecordWithABadChecksumEndsTheJournal() throws Exception {
        Path f = dir.resolve("a.journal");
        try (FileJournal j = FileJournal.open(f)) {
            j.append(b("good"));
            j.append(b("flipped"));
        }
        byte[] all = Files.readAllBytes(f);
        all[all.length - 1] ^= 1;
        Files.write(f, all);
        try (FileJournal j = FileJournal.open(f)) {
            assertEquals(List.of("good"), strings(j.records()));
        }
    }

    @Test
    void rewriteReplacesTheContentAndAppendsContinueAfterIt() {
        Path f = dir.resolve("a.journal");
        try (FileJournal j = FileJournal.open(f)) {
            for (int i = 0; i < 10; i++) {
                j.append(b("r" + i));
            }
            j.rewrite(List.of(b("r8"), b("r9")));
            j.append(b("r10"));
            assertEquals(3, j.count());
            j.rewrite(List.of());
            assertEquals(0, j.bytes());
            j.append(b("r11"));
        }
        try (FileJournal j = FileJournal.open(f)) {
            assertEquals(List.of("r11"), strings(j.records()));
        }
    }

    @Test
    void concurrentAppendsAreAllKept() throws Exception {
        Path f = dir.resolve("a.journal");
        try (FileJournal j = FileJournal.open(f)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                int tt = t;
                pool.execute(() -> {
                    for (int i = 0; i < 50; i++) {
                        j.append(b(tt + ":" + i));
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        }
        try (FileJournal j = FileJournal.open(f)) {
            List<String> r = strings(j.records());
            assertEquals(400, r.size());
            assertEquals(400, r.stream().distinct().count());
        }
    }

    @Test
    void nodesSharingADirectoryHoldSlotsOfTheirOwnAndAdoptTheSlotsOfDeadOnes() {
        JournalDirectory a = JournalDirectory.open(dir, "127.0.0.1:6379-crew");
        JournalDirectory b = JournalDirectory.open(dir, "127.0.0.1:6379-crew");
        JournalDirectory d = JournalDirectory.open(dir, "127.0.0.1:6379-crew");
        assertNotEquals(a.slot(), b.slot(), "a held slot is not taken twice");
        assertNotEquals(b.slot(), d.slot());
        b.journal("tasks").append(b("left by b"));
        d.journal("tasks").append(b("left by d"));
        b.close(); // b and d are gone without writing back: their slots hold records and no lock
        d.close();
        JournalDirectory c = JournalDirectory.open(dir, "127.0.0.1:6379-crew");
        assertEquals(b.slot(), c.slot(), "the lowest free slot");
        assertEquals(List.of("left by b", "left by d"), strings(c.journal("tasks").records()),
                "c has b's record (its slot) and adopted d's");
        assertFalse(Files.exists(d.slot().resolve("tasks.journal")), "and removed it from d's slot");
        assertEquals(List.of(), a.journal("tasks").records(), "a, still running, adopted nothing");
        JournalDirectory other = JournalDirectory.open(dir, "10.0.0.9:6379-crew");
        assertEquals(List.of(), other.journal("tasks").records(), "another Redis target never sees it");
        a.close();
        c.close();
        other.close();
    }

    @Test
    void recordFieldsRoundTrip() {
        byte[] r = Record.write(3).str("a").str(null).lng(-7).map(Map.of("k", "v")).bytes();
        Record.Reader in = Record.read(r, 3);
        assertEquals("a", in.str());
        assertEquals(null, in.str());
        assertEquals(-7, in.lng());
        assertEquals(Map.of("k", "v"), in.map());
        assertArrayEquals(r, Record.write(3).str("a").str(null).lng(-7).map(Map.of("k", "v")).bytes());
    }
}
