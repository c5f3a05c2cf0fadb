package io.mcpcrew.crew.validation;

/**
 * Bad input from a caller: a value that breaks a documented rule (a name, a size, a number out of range).
 * Not retryable; the HTTP layer answers 400 with this message, which names the value and the rule.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}
