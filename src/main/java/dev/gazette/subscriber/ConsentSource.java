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
    API,
    /** Added by hand by an editor, who records how the reader gave consent (in person, on a paper form...). */
    EDITOR
}
