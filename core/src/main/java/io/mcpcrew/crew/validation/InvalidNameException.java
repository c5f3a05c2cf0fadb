package io.mcpcrew.crew.validation;

/** A tenant id or a name (stream, queue, model, resource, ...) that does not match {@link Names#RULE}. */
public class InvalidNameException extends InvalidInputException {
    private static final long serialVersionUID = 1L;
    private final String kind;

    public InvalidNameException(String kind, String value) {
        super("invalid " + kind + " " + Names.quote(value) + ": " + Names.RULE);
        this.kind = kind;
    }

    /** What was being named: "tenant id", "queue name", ... */
    public String kind() {
        return kind;
    }
}
