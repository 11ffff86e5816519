package dev.gazette.testing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

import nu.validator.validation.SimpleDocumentValidator;

/**
 * The W3C Nu HTML checker (the engine behind validator.w3.org/nu), embedded and offline: its HTML5 schema and
 * checkers come from the jar, nothing is fetched. One instance checks one document at a time.
 */
public final class HtmlValidator {

    /** The schema the Nu checker uses for text/html documents. */
    private static final String HTML5_SCHEMA = "http://s.validator.nu/html5-all.rnc";

    private final SimpleDocumentValidator validator;
    private final Collector collector = new Collector();

    public HtmlValidator() {
        try {
            // true: configure the checker's own log4j quietly, as its command-line client does
            validator = new SimpleDocumentValidator(true, false, false);
            validator.setUpMainSchema(HTML5_SCHEMA, collector);
            validator.setUpValidatorAndParsers(collector, false, false);
        } catch (Exception e) {
            throw new IllegalStateException("The Nu HTML checker did not start", e);
        }
    }

    /**
     * The checker's errors for an HTML document, each as "line:column: message"; empty when the document is valid.
     * Warnings and information messages are not errors and are left out.
     */
    public synchronized List<String> errors(String html) {
        collector.errors.clear();
        InputSource source = new InputSource(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        source.setEncoding("UTF-8");
        try {
            validator.checkHtmlInputSource(source);
        } catch (SAXParseException e) {
            collector.add(e); // a fatal error: already reported to the handler, unless the parser gave up before
        } catch (Exception e) {
            throw new IllegalStateException("The Nu HTML checker failed", e);
        }
        return List.copyOf(new java.util.LinkedHashSet<>(collector.errors));
    }

    private static final class Collector implements ErrorHandler {
        final List<String> errors = new ArrayList<>();

        @Override
        public void warning(SAXParseException e) {
            // warnings ("consider adding a lang attribute") do not make a document invalid
        }

        @Override
        public void error(SAXParseException e) {
            add(e);
        }

        @Override
        public void fatalError(SAXParseException e) {
            add(e);
        }

        void add(SAXParseException e) {
            errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
        }
    }
}
