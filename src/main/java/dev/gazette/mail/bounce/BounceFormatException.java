package dev.gazette.mail.bounce;

/**
 * A notification that cannot be parsed, naming the field at fault so an endpoint can answer with a 400 problem.
 */
public final class BounceFormatException extends IllegalArgumentException {

    private final String field;
    private final String problem;

    public BounceFormatException(String field, String problem) {
        this(field, problem, null);
    }

    public BounceFormatException(String field, String problem, Throwable cause) {
        super(field + " " + problem, cause);
        this.field = field;
        this.problem = problem;
    }

    public static BounceFormatException missing(String field) {
        return new BounceFormatException(field, "is missing");
    }

    /** The JSON path or MIME part at fault, such as {@code bounce.bouncedRecipients[0].emailAddress}; "body" for the whole input. */
    public String field() {
        return field;
    }

    /** What is wrong with it, such as "is missing". */
    public String problem() {
        return problem;
    }
}
