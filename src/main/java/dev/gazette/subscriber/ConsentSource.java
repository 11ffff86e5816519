package dev.gazette.subscriber;

/**
 * How a reader's consent was obtained.
 */
public enum ConsentSource {
    /** Double opt-in through the subscribe form. */
    FORM,
    /** A list imported by an editor, who vouches for its consent. */
    IMPORT,
    /** Created through the editor API. */
    API
}
