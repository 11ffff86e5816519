package dev.gazette;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Dependencies point one way: each package may use those before it in {@link #LAYERS}, never one after it. Class
 * dependencies count, not only imports, so a fully qualified name is caught too. docs/architecture.md explains the
 * order and its exceptions.
 */
class ArchitectureTest {

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
                            + " (docs/architecture.md)")
                    .allowEmptyShould(true)); // lifecycle and fediverse have no classes yet
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

    @Test
    void theRulesCatchAForbiddenDependency() {
        // a class of common that uses the editor UI, as a careless move would leave it
        JavaClasses forbidden = new ClassFileImporter().importClasses(dev.gazette.common.ForbiddenDependencyExample.class,
                dev.gazette.admin.AdminConfig.class);
        assertThrows(AssertionError.class, () -> rules().get(0).check(forbidden));
    }
}
