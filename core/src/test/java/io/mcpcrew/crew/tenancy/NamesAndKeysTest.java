package io.mcpcrew.crew.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.InvalidNameException;
import io.mcpcrew.crew.validation.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesAndKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "t1", "Tenant_1", "acme-corp", "0", "A123456789012345678901234567890123456789012345678901234567890123"})
    void validNames(String name) {
        assertTrue(Names.isValid(name), name);
        assertEquals(name, Names.tenant(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a:b", "*", "a*", "{x}", "a{b", "../x", "a/b", "a b", "-a", "_a", "a.b", "é", "日本",
            "a\nb", "a\u0000", "A1234567890123456789012345678901234567890123456789012345678901234", "a?", "[a]", "a\\b"})
    void hostileNamesRejectedWithClearMessage(String name) {
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> Names.tenant(name));
        assertTrue(e.getMessage().startsWith("invalid tenant id \""), e.getMessage());
        assertTrue(e.getMessage().contains("must be 1 to 64 characters"), e.getMessage());
        assertTrue(e instanceof IllegalArgumentException);
    }

    @Test
    void nullNameRejected() {
        assertThrows(InvalidNameException.class, () -> Names.tenant(null));
    }

    @Test
    void messageEscapesControlCharactersAndCutsLongValues() {
        String m = assertThrows(InvalidNameException.class, () -> Names.tenant("a\nb")).getMessage();
        assertTrue(m.contains("\"a\\u000ab\""), m);
        String longOne = "x".repeat(500);
        String m2 = assertThrows(InvalidNameException.class, () -> Names.tenant(longOne)).getMessage();
        assertTrue(m2.contains("(500 chars)"), m2);
        assertTrue(m2.length() < 300, m2);
    }

    @Test
    void keyLayout() {
        TenantKeys k = TenantKeys.of("crew", "t1");
        assertEquals("crew:t1:", k.tenantPrefix());
        assertEquals("crew:t1:sessions:abc", k.key("sessions", "abc"));
        assertEquals("crew:t1:tasks:{t1.default}:pending", k.tagged("tasks", "default", "pending"));
        assertEquals("crew:t1:embeddings:m1:*", k.scanPattern("embeddings", "m1"));
        assertEquals("crew:t1:tasks:\\{t1.q\\}:*", k.taggedScanPattern("tasks", "q"));
        assertTrue(k.owns("crew:t1:x"));
        assertFalse(k.owns("crew:t10:x"));
        assertFalse(k.owns("crew:t2:x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:b", "{x}", "*", "a b", "", "x?", "ü"})
    void keyPartsCannotChangeKeyStructure(String part) {
        TenantKeys k = TenantKeys.of("crew", "t1");
        assertThrows(InvalidInputException.class, () -> k.key("sessions", part));
        assertThrows(InvalidInputException.class, () -> k.tagged("tasks", part, "pending"));
        assertThrows(InvalidInputException.class, () -> k.scanPattern("sessions", part));
    }

    @Test
    void tenantIdValidatedByKeys() {
        assertThrows(InvalidNameException.class, () -> TenantKeys.of("crew", "a:b"));
        assertThrows(InvalidNameException.class, () -> TenantKeys.of("crew", "*"));
    }

    @Test
    void systemKeysLiveOutsideEveryTenant() {
        assertEquals("crew:_sys:tasks:queues", TenantKeys.systemKey("crew", "tasks", "queues"));
        assertFalse(Names.isValid(TenantKeys.SYSTEM_NAMESPACE), "_sys must never be a valid tenant id");
        assertThrows(InvalidInputException.class, () -> TenantKeys.systemKey("crew", "tasks", "a:b"));
    }

    @Test
    void escapeGlob() {
        assertEquals("a\\*b\\?\\[c\\]\\\\\\{d\\}", TenantKeys.escapeGlob("a*b?[c]\\{d}"));
    }

    @Test
    void dataTypeConfigNames() {
        assertEquals("redis.crew.ttl.task-result", DataType.TASK_RESULT.configKey());
        assertEquals("redis.crew.ttl.rate-limit", DataType.RATE_LIMIT.configKey());
    }
}
