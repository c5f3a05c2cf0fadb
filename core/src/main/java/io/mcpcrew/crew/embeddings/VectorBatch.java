package io.mcpcrew.crew.embeddings;

/**
 * A checked batch to store: the vector keys and the vectors, aligned, all of {@code dimension} components
 * (0 for an empty batch). Made by {@link ModelInput#batch}; the arrays are the caller's, not copied.
 */
record VectorBatch(byte[][] keys, float[][] vectors, int dimension) {

    int size() {
        return keys.length;
    }
}
