package dev.gazette.subscriber.transfer;

/**
 * A problem with an import file as a whole (no email column, not CSV), told to the editor as it is.
 */
final class ImportException extends Exception {

    ImportException(String message) {
        super(message, null, false, false);
    }
}
