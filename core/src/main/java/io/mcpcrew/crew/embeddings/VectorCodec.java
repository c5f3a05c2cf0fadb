package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.redis.InvalidInputException;
import io.mcpcrew.crew.redis.Names;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        for (float f : v) {
            if (!Float.isFinite(f)) {
                return null;
            }
        }
        return v;
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
