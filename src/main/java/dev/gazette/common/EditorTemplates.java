package dev.gazette.common;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Expression;
import io.quarkus.qute.IfSectionHelper;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.ValueResolvers;

/**
 * Templates that editors write (social post texts today; welcome mail, notes and subjects later), rendered by an engine
 * of their own that knows nothing but the values given to it. The application's engine would let such a template
 * reach {@code config:} (every setting, secrets included), {@code inject:} (any bean) and methods of any object; this
 * one has no namespaces, no reflection and no includes: a template may print the documented values and test them
 * with {@code {#if}}, nothing else. Templates are checked when saved, so an editor hears at once what is refused.
 */
public final class EditorTemplates {

    private static final int CACHE_LIMIT = 500;

    private final Set<String> names;
    private final Engine engine;
    private final Map<String, Template> parsed = new ConcurrentHashMap<>();

    /** An engine for templates that may use these value names only. */
    public EditorTemplates(Set<String> names) {
        this.names = Set.copyOf(names);
        this.engine = Engine.builder()
                .addSectionHelper(new IfSectionHelper.Factory())
                // the values given to a template instance: nothing else is resolved
                .addValueResolver(ValueResolvers.mapperResolver())
                .addValueResolver(ValueResolvers.orResolver())
                .addValueResolver(ValueResolvers.trueResolver())
                .addValueResolver(ValueResolvers.logicalAndResolver())
                .addValueResolver(ValueResolvers.logicalOrResolver())
                .strictRendering(true)
                .build();
    }

    /** A template an editor wrote, refused with {@link Refused} when it uses anything but the allowed values. */
    public Template parse(String text) {
        Template template = parsed.get(text);
        if (template != null) {
            return template;
        }
        try {
            template = engine.parse(text);
        } catch (TemplateException e) {
            throw new Refused("is not a valid template: " + firstLine(e.getMessage()));
        }
        for (Expression expression : template.getExpressions()) {
            check(expression);
        }
        if (parsed.size() < CACHE_LIMIT) {
            parsed.put(text, template);
        }
        return template;
    }

    /** Why a template cannot be used, or null when it can. */
    public String problem(String text) {
        try {
            parse(text);
            return null;
        } catch (Refused e) {
            return e.getMessage();
        }
    }

    /** Renders an accepted template with these values (each name given, null for none). */
    public String render(String text, Map<String, ?> values) {
        TemplateInstance instance = parse(text).instance();
        values.forEach(instance::data);
        return instance.render();
    }

    private void check(Expression expression) {
        if (expression.isLiteral()) {
            return;
        }
        if (expression.hasNamespace()) {
            throw new Refused("may not use \"" + expression.getNamespace() + ":\": only " + allowed() + " can be used");
        }
        List<Expression.Part> parts = expression.getParts();
        if (parts.size() != 1 || parts.get(0).isVirtualMethod() || !names.contains(parts.get(0).getName())) {
            throw new Refused("may not use {" + expression.toOriginalString() + "}: only " + allowed() + " can be used");
        }
    }

    private String allowed() {
        StringBuilder text = new StringBuilder();
        for (String name : new TreeSet<>(names)) {
            text.append(text.isEmpty() ? "" : ", ").append('{').append(name).append('}');
        }
        return text.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "it cannot be read";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** A template that uses what it may not, with the reason in words an editor understands. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }
}
