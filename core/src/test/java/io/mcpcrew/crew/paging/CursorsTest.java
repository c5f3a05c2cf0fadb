package io.mcpcrew.crew.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorsTest {

    @Test
    void aCursorDecodesToItsFieldsForItsOwnListOnly() {
        String c = Cursors.encode("tasks-pending", "3", "send-mail", "abc", "17");
        assertTrue(c.matches("[A-Za-z0-9_-]+"), c); // safe in a query string as is
        assertEquals(List.of("3", "send-mail", "abc", "17"), Cursors.decode("tasks-pending", c, 4));
        assertMessage("the tasks-dead list", () -> Cursors.decode("tasks-dead", c, 4));
        assertMessage("invalid cursor", () -> Cursors.decode("tasks-pending", c, 3));
    }

    @Test
    void anythingElseIsA400NamingTheCursorAndTheRule() {
        for (String bad : List.of("", "!!!", "Zm9v", "YzEKdGVuYW50cwp4Cnk", "x".repeat(2000), "%00")) {
            assertMessage("must be a nextCursor returned by the tenants list", () -> Cursors.decode("tenants", bad, 1));
        }
        assertMessage("invalid cursor null", () -> Cursors.decode("tenants", null, 1));
        assertMessage("invalid cursor \"abc\\u000a\"", () -> Cursors.decode("tenants", "abc\n", 1));
        assertThrows(IllegalArgumentException.class, () -> Cursors.encode("x", "a\nb"));
        assertMessage("invalid cursor", () -> Cursors.number("12a", "c", "k"));
        assertEquals(-5, Cursors.number("-5", "c", "k"));
    }

    @Test
    void pagesAreBoundedAndSayWhetherMoreFollow() {
        assertEquals(1, Page.requireLimit(1, 10));
        assertEquals(10, Page.requireLimit(10, 10));
        assertMessage("invalid limit 11: must be from 1 to 10", () -> Page.requireLimit(11, 10));
        assertMessage("invalid limit 0: must be from 1 to 10", () -> Page.requireLimit(0, 10));
        Page<Integer> p = new Page<>(List.of(1, 2), "next");
        assertTrue(p.hasMore());
        assertEquals(List.of("1", "2"), p.map(String::valueOf).items());
        assertFalse(new Page<>(List.of(), null).hasMore());
    }

    static void assertMessage(String fragment, Runnable r) {
        InvalidInputException e = assertThrows(InvalidInputException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
