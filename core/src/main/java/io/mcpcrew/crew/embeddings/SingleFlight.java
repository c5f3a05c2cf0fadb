package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.validation.Names;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@link ModelEmbeddingCache#getOrCompute} for one tenant's model: each text is claimed in the node's in-flight table
 * (shared by every tenant and model, keyed by vector key); the claimed texts are read in one batch, the misses
 * computed by one call to the {@link Embedder} and stored, and only then released, so a later claimant finds them in
 * the cache. Texts another thread has claimed are awaited, not computed again. Every caller gets arrays of its own.
 */
final class SingleFlight {
    private final ConcurrentHashMap<String, CompletableFuture<float[]>> inFlight;
    private final VectorReader reader;
    private final Consumer<Map<String, float[]>> store;
    private final ModelCounters counters;
    private final String model;

    /** {@code store} stores a batch the way {@link ModelEmbeddingCache#batchStore} does (checked, then written). */
    SingleFlight(ConcurrentHashMap<String, CompletableFuture<float[]>> inFlight, VectorReader reader,
            Consumer<Map<String, float[]>> store, ModelCounters counters, String model) {
        this.inFlight = inFlight;
        this.reader = reader;
        this.store = store;
        this.counters = counters;
        this.model = model;
    }

    /** One vector per text of {@code texts}, whose vector keys are {@code keyBytes} (aligned, already checked). */
    List<float[]> getOrCompute(List<String> texts, byte[][] keyBytes, Embedder embedder) {
        String[] keys = new String[keyBytes.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ModelInput.str(keyBytes[i]);
        }
        Map<String, String> textOfKey = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            textOfKey.putIfAbsent(keys[i], texts.get(i));
        }
        // claim every text no other thread of this node is reading or computing; wait for the others afterwards
        Map<String, CompletableFuture<float[]>> owned = new LinkedHashMap<>();
        Map<String, CompletableFuture<float[]>> awaited = new LinkedHashMap<>();
        for (String key : textOfKey.keySet()) {
            CompletableFuture<float[]> mine = new CompletableFuture<>();
            CompletableFuture<float[]> other = inFlight.putIfAbsent(key, mine);
            if (other == null) {
                owned.put(key, mine);
            } else {
                awaited.put(key, other);
            }
        }
        Map<String, float[]> result = new HashMap<>();
        try {
            if (!owned.isEmpty()) {
                computeOwned(owned, textOfKey, embedder, result);
            }
        } catch (RuntimeException | Error e) {
            owned.values().forEach(f -> f.completeExceptionally(e));
            throw e;
        } finally {
            // stored (or failed) before released: a later claimant of the same text finds it in the cache
            owned.forEach(inFlight::remove);
        }
        for (Map.Entry<String, CompletableFuture<float[]>> e : awaited.entrySet()) {
            result.put(e.getKey(), join(e.getValue()).clone());
            counters.awaitedHit();
        }
        List<float[]> out = new ArrayList<>(keys.length);
        Map<String, Boolean> handedOut = new HashMap<>();
        for (String key : keys) {
            float[] v = result.get(key);
            out.add(handedOut.put(key, Boolean.TRUE) == null ? v : v.clone());
        }
        return out;
    }

    private void computeOwned(Map<String, CompletableFuture<float[]>> owned, Map<String, String> textOfKey,
            Embedder embedder, Map<String, float[]> result) {
        String[] ownedKeys = owned.keySet().toArray(new String[0]);
        byte[][] ownedKeyBytes = new byte[ownedKeys.length][];
        for (int i = 0; i < ownedKeys.length; i++) {
            ownedKeyBytes[i] = ownedKeys[i].getBytes(StandardCharsets.US_ASCII);
        }
        float[][] found = reader.read(ownedKeyBytes, VectorDecoder.ARRAYS);
        List<String> missingKeys = new ArrayList<>();
        List<String> missingTexts = new ArrayList<>();
        for (int i = 0; i < ownedKeys.length; i++) {
            float[] v = found[i];
            if (v != null) {
                result.put(ownedKeys[i], v);
                owned.get(ownedKeys[i]).complete(v.clone());
            } else {
                missingKeys.add(ownedKeys[i]);
                missingTexts.add(textOfKey.get(ownedKeys[i]));
            }
        }
        if (missingTexts.isEmpty()) {
            return;
        }
        List<float[]> computed = embedder.embed(Collections.unmodifiableList(missingTexts));
        if (computed == null || computed.size() != missingTexts.size()) {
            throw new IllegalStateException("the embedder returned " + (computed == null ? "null" : computed.size()
                    + " vectors") + " for " + missingTexts.size() + " texts of model " + Names.quote(model));
        }
        Map<String, float[]> toStore = new LinkedHashMap<>();
        for (int i = 0; i < missingTexts.size(); i++) {
            toStore.put(missingTexts.get(i), computed.get(i));
        }
        store.accept(toStore);
        counters.computed(missingTexts.size());
        for (int i = 0; i < missingKeys.size(); i++) {
            float[] v = computed.get(i).clone();
            result.put(missingKeys.get(i), v);
            owned.get(missingKeys.get(i)).complete(v.clone());
        }
    }

    private static float[] join(CompletableFuture<float[]> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }
}
