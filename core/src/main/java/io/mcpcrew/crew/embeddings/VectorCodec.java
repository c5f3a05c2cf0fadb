package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The stored form of a vector: its components as IEEE-754 float32, little-endian, back to back, no header
 * (numpy {@code '<f4'}). Bit-exact both ways: -0.0, subnormals and every finite value survive unchanged.
 */
public final class VectorCodec {
    private VectorCodec() {
    }

    public static byte[] encode(float[] vector) {
        ByteBuffer b = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(vector);
        return b.array();
    }

    /** Decodes {@code bytes} (a length that is a multiple of 4); null if a component is NaN or infinite. */
    public static float[] decodeFinite(byte[] bytes) {
        if (!allFinite(bytes)) {
            return null;
        }
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v); // a bulk copy
        return v;
    }

    /** A read-only view of {@code bytes} as float32 little-endian (no copy); null if a component is not finite. */
    public static FloatBuffer viewFinite(byte[] bytes) {
        if (!allFinite(bytes)) {
            return null;
        }
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer(); // order after: a read-only copy starts big-endian
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long EXPONENTS = 0x7f8000007f800000L;
    private static final long SIGNS = 0x8000000080000000L;

    /**
     * True if no component is NaN or infinite (exponent bits all ones). Reads two components per step and never
     * branches on the data, so the whole vector costs a fraction of copying it: per 32-bit lane,
     * {@code y = (bits & EXP) ^ EXP} is 0 exactly when the component is not finite, else a multiple of 2^23 up to
     * {@code EXP}; adding {@code EXP} then sets the lane's top bit exactly when {@code y != 0}, and never carries
     * into the next lane (the sum stays below 2^32). All finite iff every lane of every step kept its top bit.
     */
    static boolean allFinite(byte[] bytes) {
        int n = bytes.length;
        int pairs = n & ~7;
        long all = SIGNS;
        for (int i = 0; i < pairs; i += 8) {
            long y = ((long) LONGS.get(bytes, i) & EXPONENTS) ^ EXPONENTS;
            all &= y + EXPONENTS;
        }
        if (pairs < n) { // an odd number of components: the last one alone, in the low lane
            long y = ((long) (int) INTS.get(bytes, pairs) & 0x7f800000L) ^ 0x7f800000L;
            all &= (y + 0x7f800000L) | 0x8000000000000000L;
        }
        return (all & SIGNS) == SIGNS;
    }

    /** Checks a vector to be stored: present, 1 to {@code maxDimension} components, all finite. */
    public static void requireValid(String text, float[] vector, int maxDimension) {
        if (vector == null) {
            throw new InvalidInputException("missing vector for text " + Names.quote(text));
        }
        if (vector.length == 0 || vector.length > maxDimension) {
            throw new InvalidInputException("vector for text " + Names.quote(text) + " has dimension " + vector.length
                    + ": must be 1 to " + maxDimension + " (redis.crew.embeddings.max-dimension)");
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new InvalidInputException("vector for text " + Names.quote(text) + " has " + vector[i]
                        + " at index " + i + ": components must be finite (no NaN or Infinity)");
            }
        }
    }
}
