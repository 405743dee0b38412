package dev.caravan.connector.http;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.caravan.testkit.arch.CaravanArchRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rules that concern this module: the SPI it builds on, and the connector rules. */
class HttpArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.caravan.api", "dev.caravan.connector");
    }

    @Test
    void apiDependsOnlyOnTheJdk() {
        CaravanArchRules.API_DEPENDS_ONLY_ON_JDK.check(classes);
    }

    @Test
    void connectorsAreIndependent() {
        CaravanArchRules.CONNECTORS_ARE_INDEPENDENT.check(classes);
    }

    @Test
    void connectorDoesNotUseCamelOrUpperLayers() {
        CaravanArchRules.CONNECTORS_DO_NOT_DEPEND_ON_UPPER_LAYERS.check(classes);
    }
}
