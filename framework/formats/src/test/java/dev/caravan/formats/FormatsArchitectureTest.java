package dev.caravan.formats;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.caravan.api.format.RecordCodec;
import dev.caravan.testkit.arch.CaravanArchRules;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rules for this module: only the SPI below it; no Camel, core or connector classes. */
class FormatsArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.caravan.api", "dev.caravan.formats");
        assertThat(classes.contain(FormatCodec.class)).isTrue();
    }

    @Test
    void layering() {
        CaravanArchRules.checkLayering(classes);
    }

    @Test
    void formatsDoNotUseConnectorsOrCore() {
        CaravanArchRules.CORE_AND_FORMATS_DO_NOT_DEPEND_ON_CONNECTORS.check(classes);
        noClasses().that().resideInAPackage("dev.caravan.formats..").should().dependOnClassesThat()
                .resideInAPackage("dev.caravan.core..")
                .because("formats sits beside core, both on api; share code through api or keep it local")
                .check(classes);
    }

    @Test
    void everyCodecIsRegistered() {
        assertThat(ServiceLoader.load(RecordCodec.class).stream().map(p -> p.get().name()))
                .containsExactly("csv", "jsonl", "avro", "parquet");
    }
}
