package dev.gazette;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Dependencies point one way: each package may use those before it in {@link #LAYERS}, never one after it. Class
 * dependencies count, not only imports, so a fully qualified name is caught too. docs/architecture.md explains the
 * order and its exceptions.
 */
class ArchitectureTest {

    private static final List<String> BEAN_ANNOTATIONS = List.of("jakarta.enterprise.context.ApplicationScoped",
            "jakarta.enterprise.context.RequestScoped", "jakarta.enterprise.context.Dependent", "jakarta.inject.Singleton",
            "jakarta.ws.rs.Path");

    /** Lowest first. */
    static final List<String> LAYERS = List.of("common", "mail", "article", "subscriber", "link", "digest", "social",
            "lifecycle", "fediverse", "stats", "admin");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.gazette");

    /** One rule per layer: none of its classes depends on a class of a layer above it. */
    static List<ArchRule> rules() {
        List<ArchRule> rules = new ArrayList<>();
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream().map(l -> "dev.gazette." + l + "..")
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage("dev.gazette." + LAYERS.get(i) + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(above)
                    .because(LAYERS.get(i) + " comes before " + String.join(", ", LAYERS.subList(i + 1, LAYERS.size()))
                            + " (docs/architecture.md)"));
        }
        return rules;
    }

    @Test
    void everyPackageDependsOnlyOnThoseBeforeIt() {
        assertTrue(MAIN.size() > 200, "the application's classes were found: " + MAIN.size());
        for (ArchRule rule : rules()) {
            rule.check(MAIN);
        }
    }

    /** A class that does more than one job shows as a long file or a long list of collaborators. */
    @Test
    void noSourceFileIsOver500LinesAndNoBeanHasOver8Collaborators() throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                long lines;
                try (Stream<String> text = Files.lines(file)) {
                    lines = text.count();
                }
                if (lines > 500) {
                    tooLong.add(file + ": " + lines + " lines");
                }
            }
        }
        assertEquals(List.of(), tooLong, "files over 500 lines");
        List<String> crowded = new ArrayList<>();
        for (JavaClass type : MAIN) {
            if (!type.isRecord() && BEAN_ANNOTATIONS.stream().anyMatch(type::isAnnotatedWith)) {
                for (JavaConstructor constructor : type.getConstructors()) {
                    if (constructor.getRawParameterTypes().size() > 8) {
                        crowded.add(type.getName() + ": " + constructor.getRawParameterTypes().size() + " collaborators");
                    }
                }
            }
        }
        assertEquals(List.of(), crowded, "beans injecting more than 8 collaborators");
    }

    @Test
    void theRulesCatchAForbiddenDependency() {
        // a class of common that uses the editor UI, as a careless move would leave it
        JavaClasses forbidden = new ClassFileImporter().importClasses(dev.gazette.common.ForbiddenDependencyExample.class,
                dev.gazette.admin.AdminConfig.class);
        assertThrows(AssertionError.class, () -> rules().get(0).check(forbidden));
    }
}
