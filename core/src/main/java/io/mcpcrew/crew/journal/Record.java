package io.mcpcrew.crew.journal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of one journal record, written and read in a fixed order: a version byte, then strings (length-prefixed
 * UTF-8, null allowed), longs and string maps. Each component's {@link RecordCodec} is a few lines on top of it.
 */
public final class Record {
    private Record() {
    }

    /** Starts a record of format {@code version}. */
    public static Writer write(int version) {
        return new Writer(version);
    }

    /** Reads a record, checking its format version. */
    public static Reader read(byte[] record, int version) {
        return new Reader(record, version);
    }

    public static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(bytes);

        Writer(int version) {
            run(() -> out.writeByte(version));
        }

        public Writer str(String s) {
            run(() -> {
                if (s == null) {
                    out.writeInt(-1);
                } else {
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                }
            });
            return this;
        }

        public Writer lng(long v) {
            run(() -> out.writeLong(v));
            return this;
        }

        public Writer map(Map<String, String> m) {
            run(() -> out.writeInt(m.size()));
            m.forEach((k, v) -> str(k).str(v));
            return this;
        }

        public byte[] bytes() {
            return bytes.toByteArray();
        }

        private void run(IoStep step) {
            try {
                step.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // cannot happen on a byte array
            }
        }
    }

    public static final class Reader {
        private final DataInputStream in;

        Reader(byte[] record, int version) {
            in = new DataInputStream(new java.io.ByteArrayInputStream(record));
            int v = get(in::readByte);
            if (v != version) {
                throw new IllegalArgumentException("journal record of format " + v + ", expected " + version);
            }
        }

        public String str() {
            int len = get(in::readInt);
            if (len < 0) {
                return null;
            }
            byte[] b = new byte[len];
            run(() -> in.readFully(b));
            return new String(b, StandardCharsets.UTF_8);
        }

        public long lng() {
            return get(in::readLong);
        }

        public Map<String, String> map() {
            int n = get(in::readInt);
            Map<String, String> m = new LinkedHashMap<>(Math.max(4, n * 2));
            for (int i = 0; i < n; i++) {
                m.put(str(), str());
            }
            return m;
        }

        private static <T> T get(IoGet<T> g) {
            try {
                return g.get();
            } catch (IOException e) {
                throw new IllegalArgumentException("journal record cut short: " + e, e);
            }
        }

        private static void run(IoStep s) {
            try {
                s.run();
            } catch (IOException e) {
                throw new IllegalArgumentException("journal record cut short: " + e, e);
            }
        }
    }

    private interface IoStep {
        void run() throws IOException;
    }

    private interface IoGet<T> {
        T get() throws IOException;
    }
}
