package io.mcpcrew.crew.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.InvalidNameException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pure logic: ids, importance names, size accounting, settings validation. */
class SessionLogicTest {

    @Test
    void idsCarryTheUserAnd128RandomBits() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            SessionId id = SessionId.newId("user_1-x");
            assertTrue(seen.add(id.value()));
            assertEquals("user_1-x", id.userId());
            String token = id.value().substring("user_1-x.".length());
            assertEquals(16, Base64.getUrlDecoder().decode(token).length);
            assertEquals(id.value(), SessionId.parse(id.value()).value());
        }
        assertThrows(InvalidNameException.class, () -> SessionId.newId("a.b"));
        assertThrows(InvalidNameException.class, () -> SessionId.newId("{tag}"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SessionId.parse("u.abc=="));
        assertTrue(e.getMessage().contains("\"u.abc==\"") && e.getMessage().contains("22 base64url"), e.getMessage());
    }

    @Test
    void everyScriptRunsAsTheSharedLibraryFollowedByItsOwnText() throws Exception {
        String lib = resource("lib.lua");
        for (String name : List.of("create.lua", "touch.lua", "update.lua", "delete.lua", "prune.lua", "register.lua")) {
            LuaScript script = SessionScripts.ALL.stream().filter(s -> s.name().equals("SessionScripts/" + name))
                    .findFirst().orElseThrow();
            assertEquals(lib + resource(name), script.source(), name);
        }
        assertEquals(6, SessionScripts.ALL.size());
    }

    private static String resource(String name) throws Exception {
        try (java.io.InputStream in = SessionScripts.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void idsAndSessionsAreValues() {
        SessionId id = SessionId.newId("ann");
        assertEquals(id, SessionId.parse(id.value()));
        assertEquals(id, new SessionId(id.value(), "ann"));
        assertEquals(id.value(), id.toString());
        InvalidInputException other = assertThrows(InvalidInputException.class, () -> new SessionId(id.value(), "bob"));
        assertTrue(other.getMessage().contains("\"bob\""), other.getMessage());
        assertThrows(InvalidInputException.class, () -> new SessionId(null, "ann"));

        Map<String, Object> data = new java.util.HashMap<>();
        data.put("a", 1);
        data.put("gone", null);
        java.time.Instant t = java.time.Instant.ofEpochMilli(1000);
        Session s = new Session(id.value(), "ann", data, t, t, t.plusSeconds(60), Duration.ofMinutes(1));
        data.put("b", 2);
        assertEquals(2, s.data().size(), "the record holds a copy");
        assertTrue(s.data().containsKey("gone"));
        assertThrows(UnsupportedOperationException.class, () -> s.data().put("c", 3));
        assertEquals(s, new Session(id.value(), "ann", new java.util.HashMap<>(s.data()), t, t, t.plusSeconds(60),
                Duration.ofMinutes(1)), "equal by value");
        assertThrows(NullPointerException.class, () -> new Session(null, "ann", Map.of(), t, t, t, Duration.ZERO));
    }

    @Test
    void importanceParsesConfigNames() {
        assertEquals(SessionImportance.LONG_LIVED, SessionImportance.parse("long-lived"));
        assertEquals(SessionImportance.LONG_LIVED, SessionImportance.parse("LONG_LIVED"));
        assertEquals(SessionImportance.EPHEMERAL, SessionImportance.parse("Ephemeral"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SessionImportance.parse("forever"));
        assertTrue(e.getMessage().contains("ephemeral, standard, long-lived"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> SessionImportance.parse(null));
    }

    @Test
    void sizeCountsUtf8NamesAndJsonValues() {
        assertEquals(1, SessionCodec.utf8Length("a"));
        assertEquals(2, SessionCodec.utf8Length("ë"));
        assertEquals(3, SessionCodec.utf8Length("日"));
        assertEquals(4, SessionCodec.utf8Length("😀"));
        Map<String, String> enc = SessionCodec.encode(Map.of("name", "Zoë"));
        assertEquals("\"Zoë\"", enc.get("name"));
        assertEquals(4 + 6, SessionCodec.checkedSize(enc, 10));
        assertThrows(InvalidInputException.class, () -> SessionCodec.checkedSize(enc, 9));
        assertThrows(InvalidInputException.class, () -> SessionCodec.encode(Map.of("", 1)));
    }

    @Test
    void jsonCodecRoundTripsPlainValuesAndEscapes() {
        Map<String, Object> nested = new java.util.LinkedHashMap<>();
        nested.put("q", "say \"hi\"\\ \n\u0001 ë");
        nested.put("n", -12);
        nested.put("big", new java.math.BigDecimal("1.50"));
        nested.put("list", java.util.Arrays.asList(1, null, true, "x"));
        nested.put("none", null);
        String json = SessionCodec.toJson(nested);
        assertEquals("{\"q\":\"say \\\"hi\\\"\\\\ \\u000a\\u0001 ë\",\"n\":-12,\"big\":1.50,"
                + "\"list\":[1,null,true,\"x\"],\"none\":null}", json);
        Map<?, ?> back = (Map<?, ?>) SessionCodec.parse(json);
        assertEquals(nested.get("q"), back.get("q"));
        assertEquals(new java.math.BigDecimal(-12), back.get("n"));
        assertEquals(new java.math.BigDecimal("1.50"), back.get("big"));
        assertEquals(java.util.Arrays.asList(new java.math.BigDecimal(1), null, true, "x"), back.get("list"));
        assertEquals("plain", SessionCodec.parse(SessionCodec.toJson("plain")));
        assertEquals(new java.math.BigDecimal("2.5"), SessionCodec.parse(SessionCodec.toJson(2.5d)));
        assertEquals(false, SessionCodec.parse("false"));
        assertEquals("{not json", SessionCodec.parse("{not json"), "a value that is not JSON comes back as its text");
    }

    @Test
    void settingsHaveDefaultsAndRejectBadValues() {
        SessionSettings d = SessionSettings.from(RedisCrewConfig.load(Map.of()));
        assertEquals(Duration.ofMinutes(5), d.ttl(SessionImportance.EPHEMERAL));
        assertEquals(Duration.ofMinutes(30), d.ttl(SessionImportance.STANDARD));
        assertEquals(Duration.ofDays(7), d.ttl(SessionImportance.LONG_LIVED));
        assertEquals(65_536, d.maxDataBytes());
        assertEquals(false, d.slidingExpiry());
        assertEquals(Duration.ofMinutes(5), d.cleanupInterval());
        SessionSettings std = SessionSettings.from(RedisCrewConfig.load(Map.of("redis.crew.ttl.session", "45m")));
        assertEquals(Duration.ofMinutes(45), std.ttl(SessionImportance.STANDARD));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> SessionSettings.from(
                RedisCrewConfig.load(Map.of("redis.crew.sessions.ttl.long-lived", "60d"))));
        assertTrue(e.getMessage().contains("REDIS_CREW_SESSIONS_TTL_LONG_LIVED") || e.getMessage().contains("max-ttl"),
                e.getMessage());
        assertThrows(ConfigurationException.class, () -> SessionSettings.from(
                RedisCrewConfig.load(Map.of("redis.crew.sessions.max-data-bytes", "0"))));
        assertNotEquals(d.ttl(SessionImportance.EPHEMERAL), d.ttl(SessionImportance.LONG_LIVED));
    }
}
