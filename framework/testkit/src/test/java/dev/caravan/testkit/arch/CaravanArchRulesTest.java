package dev.caravan.testkit.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.caravan.api.archfixture.ApiUsingCore;
import dev.caravan.api.archfixture.ApiUsingVendorSdk;
import dev.caravan.api.archfixture.CleanApiType;
import dev.caravan.api.archfixture.LeakyApiType;
import dev.caravan.api.archfixture.OtherApiType;
import dev.caravan.camel.archfixture.CamelThing;
import dev.caravan.camel.archfixture.CamelUsesRuntime;
import dev.caravan.cli.archfixture.CliThing;
import dev.caravan.connector.alpha.AlphaStore;
import dev.caravan.connector.beta.BetaHelper;
import dev.caravan.connector.gamma.GammaUsesCamel;
import dev.caravan.connector.gamma.GammaUsesRuntime;
import dev.caravan.core.archfixture.CleanCore;
import dev.caravan.core.archfixture.CoreUsesCamel;
import dev.caravan.core.archfixture.CoreUsesConnector;
import dev.caravan.formats.archfixture.FormatUsesCli;
import dev.caravan.runtime.archfixture.RuntimeThing;
import dev.caravan.runtime.archfixture.RuntimeUsesCli;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proves that each rule of {@link CaravanArchRules} reports a violation on fixture classes that break it (under
 * {@code src/test/java}, in the packages the rules watch) and passes on fixtures that respect it.
 */
class CaravanArchRulesTest {

    @Test
    void apiRuleRejectsCamelVendorSdksAndOtherModules() {
        assertViolation(CaravanArchRules.API_DEPENDS_ONLY_ON_JDK, "org.apache.camel.archfixture.FakeExchange",
                LeakyApiType.class);
        assertViolation(CaravanArchRules.API_DEPENDS_ONLY_ON_JDK, "software.amazon.archfixture.FakeS3Client",
                ApiUsingVendorSdk.class);
        assertViolation(CaravanArchRules.API_DEPENDS_ONLY_ON_JDK, "dev.caravan.core.archfixture.CleanCore",
                ApiUsingCore.class);
    }

    @Test
    void apiRuleAcceptsPlainJavaIncludingArrays() {
        assertPasses(CaravanArchRules.API_DEPENDS_ONLY_ON_JDK, CleanApiType.class, OtherApiType.class);
    }

    @Test
    void theRealSpiPassesTheApiRule() {
        JavaClasses api = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.caravan.api");
        assertThat(api).as("SPI classes found on the class path").isNotEmpty();
        assertThatCode(() -> CaravanArchRules.API_DEPENDS_ONLY_ON_JDK.check(api)).doesNotThrowAnyException();
    }

    @Test
    void connectorsMustNotUseEachOther() {
        assertViolation(CaravanArchRules.CONNECTORS_ARE_INDEPENDENT, "dev.caravan.connector.beta.BetaHelper",
                AlphaStore.class, BetaHelper.class);
        assertPasses(CaravanArchRules.CONNECTORS_ARE_INDEPENDENT, BetaHelper.class, GammaUsesCamel.class);
    }

    @Test
    void connectorsMustNotUseCamelOrUpperLayers() {
        assertViolation(CaravanArchRules.CONNECTORS_DO_NOT_DEPEND_ON_UPPER_LAYERS,
                "org.apache.camel.archfixture.FakeExchange", GammaUsesCamel.class);
        assertViolation(CaravanArchRules.CONNECTORS_DO_NOT_DEPEND_ON_UPPER_LAYERS,
                "dev.caravan.runtime.archfixture.RuntimeThing", GammaUsesRuntime.class);
        assertPasses(CaravanArchRules.CONNECTORS_DO_NOT_DEPEND_ON_UPPER_LAYERS, BetaHelper.class, AlphaStore.class);
    }

    @Test
    void coreAndFormatsMustNotUseCamelOrUpperLayers() {
        assertViolation(CaravanArchRules.CORE_AND_FORMATS_DO_NOT_DEPEND_ON_CAMEL,
                "org.apache.camel.archfixture.FakeExchange", CoreUsesCamel.class);
        assertViolation(CaravanArchRules.CORE_AND_FORMATS_DO_NOT_DEPEND_ON_CAMEL,
                "dev.caravan.cli.archfixture.CliThing", FormatUsesCli.class);
        assertPasses(CaravanArchRules.CORE_AND_FORMATS_DO_NOT_DEPEND_ON_CAMEL, CleanCore.class,
                CoreUsesConnector.class);
    }

    @Test
    void coreMustNotNameConnectorsWhenOptedIn() {
        assertViolation(CaravanArchRules.CORE_AND_FORMATS_DO_NOT_DEPEND_ON_CONNECTORS,
                "dev.caravan.connector.beta.BetaHelper", CoreUsesConnector.class);
        assertPasses(CaravanArchRules.CORE_AND_FORMATS_DO_NOT_DEPEND_ON_CONNECTORS, CleanCore.class);
    }

    @Test
    void camelMustNotUseRuntimeOrCli() {
        assertViolation(CaravanArchRules.CAMEL_DOES_NOT_DEPEND_ON_RUNTIME_OR_CLI,
                "dev.caravan.runtime.archfixture.RuntimeThing", CamelUsesRuntime.class);
        assertPasses(CaravanArchRules.CAMEL_DOES_NOT_DEPEND_ON_RUNTIME_OR_CLI, CamelThing.class);
    }

    @Test
    void runtimeMustNotUseCli() {
        assertViolation(CaravanArchRules.RUNTIME_DOES_NOT_DEPEND_ON_CLI, "dev.caravan.cli.archfixture.CliThing",
                RuntimeUsesCli.class);
        assertPasses(CaravanArchRules.RUNTIME_DOES_NOT_DEPEND_ON_CLI, RuntimeThing.class, CliThing.class);
    }

    @Test
    void everyRuleAllowsAModuleWithoutClassesOfItsPackages() {
        JavaClasses unrelated = new ClassFileImporter().importClasses(CaravanArchRules.class, String.class);
        for (ArchRule rule : allRules()) {
            assertThat(rule.evaluate(unrelated).hasViolation()).as(rule.getDescription()).isFalse();
        }
    }

    @Test
    void everyRuleSaysWhatToDo() {
        for (ArchRule rule : allRules()) {
            assertThat(rule.getDescription()).as("description of a rule").contains(", because ");
        }
    }

    @Test
    void layeringPassesOnACleanSetAndFailsOnTheFirstViolation() {
        Class<?>[] clean = {CleanApiType.class, OtherApiType.class, BetaHelper.class, CleanCore.class,
            CamelThing.class, RuntimeThing.class, CliThing.class};
        assertThatCode(() -> CaravanArchRules.checkLayering(new ClassFileImporter().importClasses(clean)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> CaravanArchRules.checkLayering(
                new ClassFileImporter().importClasses(CleanCore.class, RuntimeUsesCli.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("RuntimeUsesCli")
                .hasMessageContaining("runtime is embedded by applications");
    }

    private static List<ArchRule> allRules() {
        List<ArchRule> rules = new ArrayList<>(CaravanArchRules.layering());
        rules.add(CaravanArchRules.CORE_AND_FORMATS_DO_NOT_DEPEND_ON_CONNECTORS);
        return rules;
    }

    private static void assertViolation(ArchRule rule, String offendingTarget, Class<?>... classes) {
        EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(classes));
        assertThat(result.hasViolation()).as("%s on %s", rule.getDescription(), List.of(classes)).isTrue();
        assertThat(result.getFailureReport().getDetails()).as("violations reported")
                .anyMatch(detail -> detail.contains(offendingTarget));
    }

    private static void assertPasses(ArchRule rule, Class<?>... classes) {
        EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(classes));
        assertThat(result.getFailureReport().getDetails()).as("%s on %s", rule.getDescription(), List.of(classes))
                .isEmpty();
    }
}
