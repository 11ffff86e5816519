package dev.gazette.admin.web;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;

/**
 * A service's refusal as the editor pages show it: the message of each field, to print next to that field.
 */
final class FieldErrors {

    private FieldErrors() {
    }

    /** Messages by field (several for one field are joined); a refusal that names no field goes to {@code fallback}. */
    static Map<String, String> of(ProblemException e, String fallback) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (e.violations() != null) {
            for (Problem.Violation v : e.violations()) {
                errors.merge(v.field(), v.message(), (x, y) -> x + "; " + y);
            }
        }
        if (errors.isEmpty()) {
            errors.put(fallback, e.getMessage());
        }
        return errors;
    }
}
