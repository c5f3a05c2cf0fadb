package io.mcpcrew.crew.web.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict reader every resource uses: each refusal is an InvalidInputException naming the field and the rule. */
class JsonBodyTest {
    private static final String DIGITS_5000 = "9".repeat(5000);

    private static String refused(Runnable r) {
        return assertThrows(InvalidInputException.class, r::run).getMessage();
    }

    private static JsonFields body(String json) {
        return JsonBody.object(json, "{...}");
    }

    @Test
    void integersAtTheExtremesAreRefusedNamingTheFieldAndTheRule() {
        String rule = "field \"n\" must be an integer from 1 to 100, got ";
        for (String v : List.of("9223372036854775807", "9223372036854775808", "-9223372036854775808",
                "-9223372036854775809", "1e308", "-1e308", "1e999999999", "0", "-0", "101")) {
            assertEquals(rule + v, refused(() -> body("{\"n\":" + v + "}").integer("n", 1, 100)), v);
        }
        assertEquals(rule + "9999999999999999999999999999999999999999... (1000 characters)",
                refused(() -> body("{\"n\":" + "9".repeat(1000) + "}").integer("n", 1, 100)));
        assertEquals("field \"n\" must be an integer from 1 to 100 (no fraction), got 1.5",
                refused(() -> body("{\"n\":1.5}").integer("n", 1, 100)));
        assertEquals("field \"n\" must be an integer from 1 to 100, got a string \"12\"",
                refused(() -> body("{\"n\":\"12\"}").integer("n", 1, 100)));
        assertEquals("field \"n\" must be an integer from 1 to 100, got an array",
                refused(() -> body("{\"n\":[1]}").integer("n", 1, 100)));
        assertEquals("field \"n\" must be an integer from 1 to 100, got true",
                refused(() -> body("{\"n\":true}").integer("n", 1, 100)));
    }

    @Test
    void integersInRangeAreReadWhateverTheirSpelling() {
        assertEquals(12L, body("{\"n\":12}").integer("n", 0, 100));
        assertEquals(12L, body("{\"n\":12.0}").integer("n", 0, 100));
        assertEquals(100L, body("{\"n\":1e2}").integer("n", 0, 100));
        assertEquals(0L, body("{\"n\":-0}").integer("n", 0, 100));
        assertEquals(Long.MAX_VALUE, body("{\"n\":9223372036854775807}").integer("n", 0, Long.MAX_VALUE));
        assertEquals(Long.MIN_VALUE, body("{\"n\":-9223372036854775808}").integer("n", Long.MIN_VALUE, 0));
        assertNull(body("{\"n\":null}").integer("n", 0, 100));
        assertNull(body("{}").integer("n", 0, 100));
    }

    @Test
    void overlongNumbersAndHugeExponentsAreRefusedWherePresent() {
        assertEquals("number at the top level has 5000 characters: a JSON number may have at most 1000",
                refused(() -> JsonBody.parse(DIGITS_5000)));
        assertEquals("number at \"data.k[1]\" has 5000 characters: a JSON number may have at most 1000",
                refused(() -> JsonBody.parse("{\"data\":{\"k\":[1," + DIGITS_5000 + "]}}")));
        assertTrue(refused(() -> JsonBody.parse("[1e99999999999]")).startsWith("number at \"[0]\" is out of range"));
    }

    @Test
    void wrongTypesNameTheFieldAndTheExpectedType() {
        assertEquals("field \"texts[0]\" must be a string, got an array",
                refused(() -> body("{\"texts\":[[\"a\"]]}").strings("texts")));
        assertEquals("field \"texts\" must be an array, got a string \"x\"",
                refused(() -> body("{\"texts\":\"x\"}").strings("texts")));
        assertEquals("field \"type\" must be a string, got the number 7", refused(() -> body("{\"type\":7}").string("type")));
        assertEquals("field \"data\" must be a JSON object, got an array", refused(() -> body("{\"data\":[]}").object("data")));
        assertEquals("field \"items[1]\" must be a JSON object, got null",
                refused(() -> body("{\"items\":[{},null]}").objects("items")));
        assertEquals("field \"type\" is required: the type", refused(() -> body("{}").requiredString("type", "the type")));
    }

    @Test
    void bodiesThatAreNotObjectsOrNotJsonAreRefused() {
        assertEquals("the request body must be a JSON object {...}, not an array", refused(() -> body("[]")));
        assertEquals("the request body must be a JSON object {...}, not the number 12", refused(() -> body("12")));
        assertEquals("the request body must be a JSON object {...}; it is empty", refused(() -> body(" ")));
        assertTrue(refused(() -> body("{\"a\":")).startsWith("malformed JSON body: "));
        assertTrue(refused(() -> body("not json")).startsWith("malformed JSON body: "));
        assertTrue(refused(() -> body("{} {}")).startsWith("malformed JSON body: "));
        assertTrue(refused(() -> JsonBody.parse("[".repeat(300) + "]".repeat(300))).startsWith("JSON body nested deeper"));
    }

    @Test
    void valuesPassThroughWithTheirOwnNumberText() {
        JsonFields b = body("{\"data\":{\"z\":-0.0,\"e\":1e2,\"s\":\"x\",\"l\":[true,null]}}");
        assertEquals("{\"z\":-0.0,\"e\":1e2,\"s\":\"x\",\"l\":[true,null]}", b.value("data").toString());
        Map<String, Object> m = b.object("data").toMap();
        assertEquals(new BigDecimal("1e2"), m.get("e"));
        assertEquals(java.util.Arrays.asList(true, null), m.get("l"));
        float[] f = body("{\"v\":[-0.0,0.1,3.4028235E38]}").floats("v");
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(f[0]));
        assertEquals(0.1f, f[1]);
        assertEquals(Float.MAX_VALUE, f[2]);
    }

    @Test
    void queryIntegersAreCheckedAsText() {
        assertEquals(100, Params.integer("limit", null, 1, 1000, 100));
        assertEquals(7, Params.integer("limit", "7", 1, 1000, 100));
        assertEquals("invalid limit \"abc\": must be an integer from 1 to 1000",
                refused(() -> Params.integer("limit", "abc", 1, 1000, 100)));
        assertEquals("invalid limit 99999999999: must be an integer from 1 to 1000",
                refused(() -> Params.integer("limit", "99999999999", 1, 1000, 100)));
        assertEquals("invalid limit -1: must be an integer from 1 to 1000",
                refused(() -> Params.integer("limit", "-1", 1, 1000, 100)));
        assertEquals("invalid limit \"1.5\": must be an integer from 1 to 1000",
                refused(() -> Params.integer("limit", "1.5", 1, 1000, 100)));
        assertTrue(refused(() -> Params.integer("limit", DIGITS_5000, 1, 1000, 100)).startsWith("invalid limit \""));
        assertTrue(refused(() -> Params.instant("since", "yesterday")).startsWith("invalid since \"yesterday\": must be"));
    }
}
