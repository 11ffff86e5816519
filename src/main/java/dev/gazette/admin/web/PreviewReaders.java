package dev.gazette.admin.web;

import java.util.Map;
import java.util.Optional;

import dev.gazette.common.Text;
import dev.gazette.digest.DigestPreview;

/**
 * The reader a digest preview or test send is for, as the newsletter page's forms name them: by address (field
 * {@code reader}), or by number (field {@code subscriberId}, for older links and the preview frame).
 */
final class PreviewReaders {

    private PreviewReaders() {
    }

    /** The reader's id; null for a generic digest, or when a field is wrong (its message is then in {@code errors}). */
    static Long resolve(DigestPreview preview, String address, String number, Map<String, String> errors) {
        if (address == null || address.isBlank()) {
            return subscriberId(number, errors);
        }
        if (address.strip().matches("\\d{1,18}")) {
            return subscriberId(address, errors);
        }
        Optional<Long> found = preview.readerByAddress(address.strip());
        if (found.isEmpty()) {
            errors.put("reader", "no reader has the address " + Text.cut(address.strip(), 320)
                    + "; leave it empty for a generic digest");
        }
        return found.orElse(null);
    }

    private static Long subscriberId(String value, Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.strip());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        errors.put("subscriberId", "must be a reader's number, or empty for a generic digest");
        return null;
    }
}
