package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.redis.InvalidInputException;
import io.mcpcrew.crew.redis.Names;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

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

    /**
     * True if no component is NaN or infinite (exponent bits all ones). Branch-free over the whole vector — it is
     * read once, at about a quarter of the cost of copying it — rather than stopping at the first bad component.
     */
    static boolean allFinite(byte[] bytes) {
        IntBuffer bits = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        int n = bits.limit();
        int bad = 0;
        for (int i = 0; i < n; i++) {
            bad |= (bits.get(i) & 0x7f800000) == 0x7f800000 ? 1 : 0;
        }
        return bad == 0;
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
