package dev.caravan.application;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.caravan.testkit.arch.CaravanArchRules;
import org.junit.jupiter.api.Test;

/**
 * Caravan's layering, plus this module's place in it: application plans compose the engines of core and the Camel
 * components, never a connector (found by scheme), the runtime or the command line (which call this module).
 */
class ApplicationArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.caravan");

    @Test
    void layeringHolds() {
        CaravanArchRules.checkLayering(CLASSES);
    }

    @Test
    void applicationDependsOnNoConnectorRuntimeOrCli() {
        noClasses().that().resideInAPackage("dev.caravan.application..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.caravan.connector..", "dev.caravan.runtime..",
                        "dev.caravan.cli..")
                .check(CLASSES);
    }
}
