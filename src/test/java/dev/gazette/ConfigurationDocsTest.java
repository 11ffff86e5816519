package dev.gazette;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.smallrye.config.ConfigMapping;

/**
 * docs/configuration.md lists every {@code gazette.*} property of the {@code @ConfigMapping} interfaces, and nothing
 * else under {@code gazette.}: a setting added without a line there, or a line left after its setting went, fails.
 */
class ConfigurationDocsTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\|\\s*`(gazette\\.[^`]+)`");
    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

    /** Every property, maps written as {@code name.<key>}. */
    static Set<String> properties() {
        Set<String> names = new TreeSet<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.gazette")) {
            if (type.isAnnotatedWith(ConfigMapping.class)) {
                Class<?> mapping = type.reflect();
                collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, names);
            }
        }
        return names;
    }

    private static void collect(String prefix, Class<?> group, Set<String> names) {
        for (Method method : group.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + "." + kebab(method.getName());
            Type type = method.getGenericReturnType();
            Class<?> raw = method.getReturnType();
            if (raw == Optional.class) {
                type = ((ParameterizedType) type).getActualTypeArguments()[0];
                raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
            }
            if (Map.class.isAssignableFrom(raw)) {
                names.add(name + ".<key>");
            } else if (raw.isInterface() && raw.getName().startsWith("dev.gazette")) {
                collect(name, raw, names);
            } else {
                names.add(name);
            }
        }
    }

    private static String kebab(String method) {
        return CAMEL.matcher(method).replaceAll("$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The documented names; {@code name.<anything>} stands for a map's keys. */
    static Set<String> documented() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = ROW.matcher(Files.readString(Path.of("docs", "configuration.md")));
        while (m.find()) {
            names.add(m.group(1).replaceAll("\\.<[^>]+>$", ".<key>"));
        }
        return names;
    }

    @Test
    void everySettingIsDocumentedAndEveryDocumentedSettingExists() throws IOException {
        Set<String> code = properties();
        assertTrue(code.size() > 50, "the settings were found: " + code);
        Set<String> docs = documented();
        Set<String> missing = new TreeSet<>(code);
        missing.removeAll(docs);
        Set<String> unknown = new TreeSet<>(docs);
        unknown.removeAll(code);
        assertEquals(Set.of(), missing, "settings missing from docs/configuration.md");
        assertEquals(Set.of(), unknown, "docs/configuration.md names settings that do not exist");
    }
}
