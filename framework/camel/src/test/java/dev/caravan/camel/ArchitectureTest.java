package dev.caravan.camel;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.caravan.testkit.arch.CaravanArchRules;
import org.junit.jupiter.api.Test;

/** The layering rules of Caravan, checked against everything on this module's class path. */
class ArchitectureTest {
    @Test
    void layeringHolds() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.caravan");
        CaravanArchRules.checkLayering(classes);
    }
}
