package dev.caravan.testkit.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dependency rules that concern a connector module, as a test class to extend: the SPI it builds on depends on
 * the JDK only, connectors do not know each other, and a connector uses neither Camel, the modules above it nor the
 * engine ({@code dev.caravan.core}). A subclass names one production class of its connector and the SPI type it
 * implements, which proves that the import found both (an import that found nothing would pass every rule).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConnectorArchitectureContract {
    private JavaClasses classes;

    /** A production class of the connector under test. */
    protected abstract Class<?> connectorClass();

    /** The SPI type (of {@code dev.caravan.api}) the connector implements. */
    protected abstract Class<?> spiType();

    @BeforeAll
    void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.caravan.api", "dev.caravan.connector");
        assertThat(classes.contain(connectorClass())).as("connector classes imported").isTrue();
        assertThat(classes.contain(spiType())).as("SPI classes imported").isTrue();
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

    @Test
    void connectorDoesNotUseTheEngine() {
        ArchRuleDefinition.noClasses().that().resideInAPackage(connectorClass().getPackageName() + "..")
                .should().dependOnClassesThat().resideInAPackage("dev.caravan.core..")
                .because("connectors implement the SPI only").check(classes);
    }
}
