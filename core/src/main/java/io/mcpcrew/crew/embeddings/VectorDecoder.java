package io.mcpcrew.crew.embeddings;

import java.nio.FloatBuffer;

/**
 * The form a read hands out, {@code float[]} ({@link #ARRAYS}) or read-only {@link FloatBuffer} views
 * ({@link #VIEWS}): {@link VectorReader#read} fills a {@code T[]} through it, so each read path makes exactly the
 * objects its form needs (one array per hit, or one view over the bytes read).
 *
 * @param <T> the vector's form
 */
interface VectorDecoder<T> {

    /** Copies of the vectors as {@code float[]}. */
    VectorDecoder<float[]> ARRAYS = new VectorDecoder<>() {
        @Override
        public float[] decodeFinite(byte[] raw) {
            return VectorCodec.decodeFinite(raw);
        }

        @Override
        public float[] fromLocal(float[] vector) {
            return vector;
        }

        @Override
        public float[][] newArray(int n) {
            return new float[n][];
        }
    };

    /** Read-only little-endian views over the bytes read (no copy). */
    VectorDecoder<FloatBuffer> VIEWS = new VectorDecoder<>() {
        @Override
        public FloatBuffer decodeFinite(byte[] raw) {
            return VectorCodec.viewFinite(raw);
        }

        @Override
        public FloatBuffer fromLocal(float[] vector) {
            return FloatBuffer.wrap(vector).asReadOnlyBuffer();
        }

        @Override
        public FloatBuffer[] newArray(int n) {
            return new FloatBuffer[n];
        }
    };

    /** The vector in {@code raw} (a whole number of float32), or null if a component is NaN or infinite. */
    T decodeFinite(byte[] raw);

    /** A vector the local LRU handed out (a copy the caller may keep). */
    T fromLocal(float[] vector);

    /** An array for {@code n} results. */
    T[] newArray(int n);
}
