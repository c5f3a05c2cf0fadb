package io.mcpcrew.crew.web.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.validation.InvalidInputException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Vectors survive JSON bit for bit, -0.0 and the float32 extremes included. */
class VectorJsonTest {
    private final Jsonb jsonb = JsonbBuilder.create();

    @Test
    void readsEveryFloatExactly() {
        StoreRequest r = StoreRequest.parse("{\"items\":[{\"text\":\"a\",\"vector\":[-0.0,0.1,3.4028235E38,1.4E-45,-1,2e-39]}]}");
        float[] v = r.items().get(0).vector();
        float[] expected = {-0.0f, 0.1f, Float.MAX_VALUE, Float.MIN_VALUE, -1f, 2e-39f};
        assertEquals(expected.length, v.length);
        for (int i = 0; i < v.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(v[i]), "index " + i);
        }
    }

    @Test
    void writesTheShortestExactTextAndNullForMisses() {
        String json = jsonb.toJson(new LookupResponse(Arrays.asList(new float[] {-0.0f, 0.1f, Float.MIN_VALUE, 1f}, null)));
        assertEquals("{\"vectors\":[[-0.0,0.1,1.4E-45,1.0],null]}", json);
    }

    @Test
    void nonNumbersInAVectorAreA400NamingTheEntry() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> StoreRequest.parse("{\"items\":[{\"text\":\"a\",\"vector\":[1,\"x\"]}]}"));
        assertEquals("field \"items[0].vector[1]\" must be a number, got a string \"x\"", e.getMessage());
    }

    @Test
    void numbersBeyondFloat32AreA400() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> StoreRequest.parse("{\"items\":[{\"text\":\"a\",\"vector\":[1e308]}]}"));
        assertTrue(e.getMessage().startsWith("field \"items[0].vector[0]\" must be a finite float32 number"), e.getMessage());
    }
}
