package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Loading a script: the resource's text, the libraries its header includes, the SHA-1 of what is sent. */
class LuaScriptTest {

    private static String text(String resource) throws IOException {
        try (InputStream in = LuaScriptTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sha1(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aScriptWithoutIncludesIsItsResourceAsIs() throws Exception {
        LuaScript s = LuaScript.fromResource(LuaScriptTest.class, "get.lua");
        assertEquals(text("get.lua"), s.source());
        assertEquals(sha1(text("get.lua")), s.sha1());
        assertEquals("LuaScriptTest/get.lua", s.name());
        assertEquals("LuaScriptTest/get.lua@" + s.sha1().substring(0, 8), s.toString());
    }

    @Test
    void anIncludedLibraryIsPrependedAndTheShaCoversBoth() throws Exception {
        LuaScript s = LuaScript.fromResource(LuaScriptTest.class, "include_script.lua");
        String expected = text("include_lib.lua") + text("include_script.lua");
        assertEquals(expected, s.source());
        assertEquals(sha1(expected), s.sha1());
    }

    @Test
    void aMissingLibraryOrANestedIncludeIsRefusedByName() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> LuaScript.fromResource(LuaScriptTest.class, "include_missing.lua"));
        assertTrue(missing.getMessage().contains("no_such_lib.lua"), missing.getMessage());
        IllegalStateException nested = assertThrows(IllegalStateException.class,
                () -> LuaScript.fromResource(LuaScriptTest.class, "include_of_nested.lua"));
        assertTrue(nested.getMessage().contains("include_nested.lua") && nested.getMessage().contains("includes another"),
                nested.getMessage());
        IllegalStateException absent = assertThrows(IllegalStateException.class,
                () -> LuaScript.fromResource(LuaScriptTest.class, "absent.lua"));
        assertTrue(absent.getMessage().contains("absent.lua not found next to " + LuaScriptTest.class.getName()),
                absent.getMessage());
    }

    @Test
    void anIncludeLineAfterTheHeaderIsCode() throws Exception {
        // the header ends at the first line that is neither a comment nor blank
        LuaScript s = LuaScript.fromResource(LuaScriptTest.class, "include_after_code.lua");
        assertEquals(text("include_after_code.lua"), s.source());
    }
}
