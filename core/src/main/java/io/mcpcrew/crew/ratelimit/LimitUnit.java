package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.util.Locale;

/** What a {@link Limit} counts: each check consumes 1 ({@link #REQUESTS}) or its cost ({@link #TOKENS}). */
public enum LimitUnit {
    /** One unit per check, whatever its cost (e.g. 60 requests per minute). */
    REQUESTS,
    /** The check's cost (e.g. 150,000 LLM tokens per minute); {@code adjust} corrects it afterwards. */
    TOKENS;

    /** {@code requests} / {@code tokens}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code requests} or {@code tokens}, any case. */
    public static LimitUnit parse(String text) {
        for (LimitUnit u : values()) {
            if (text != null && u.name().equalsIgnoreCase(text.trim())) {
                return u;
            }
        }
        throw new InvalidInputException("invalid unit " + io.mcpcrew.crew.validation.Names.quote(text)
                + ": must be requests or tokens");
    }
}
