package dev.caravan.testkit.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The dependency direction of Caravan as executable ArchUnit rules: {@code api} depends on the JDK only; core,
 * formats and connectors on {@code api}; connectors never on Camel, on upper layers or on each other;
 * {@code camel} never on {@code runtime} or {@code cli}; {@code runtime} never on {@code cli}.
 *
 * <p>Every rule allows an empty selection, so a module can check all of them against whatever it has on its
 * class path. Use them from a plain JUnit test:
 *
 * <pre>{@code
 * JavaClasses classes = new ClassFileImporter()
 *         .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
 *         .importPackages("dev.caravan");
 * CaravanArchRules.API_DEPENDS_ONLY_ON_JDK.check(classes);
 * }</pre>
 *
 * or all at once with {@link #checkLayering(JavaClasses)}. ({@code ArchTests.in(CaravanArchRules.class)} would
 * also run the opt-in {@link #CORE_AND_FORMATS_DO_NOT_DEPEND_ON_CONNECTORS}.)
 */
public final class CaravanArchRules {

    /** Packages of the layers above the SPI that lower layers must never reach. */
    private static final String CAMEL_LIBRARY = "org.apache.camel..";
    private static final String CARAVAN_CAMEL = "dev.caravan.camel..";
    private static final String CARAVAN_RUNTIME = "dev.caravan.runtime..";
    private static final String CARAVAN_CLI = "dev.caravan.cli..";

    /** (a) The SPI is plain Java: it depends on {@code java..}, {@code javax..} and itself only. */
    public static final ArchRule API_DEPENDS_ONLY_ON_JDK = classes()
            .that().resideInAPackage("dev.caravan.api..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "dev.caravan.api..")
            .because("the SPI must stay plain Java so that every connector and the engine can use it without "
                    + "pulling in Camel, a vendor SDK or another Caravan module; move code that needs a library "
                    + "into core, formats or a connector and keep only interfaces and value types in api")
            .allowEmptyShould(true);

    /** (b) Connectors do not know each other: {@code dev.caravan.connector.x} never uses {@code ...connector.y}. */
    public static final ArchRule CONNECTORS_ARE_INDEPENDENT = slices()
            .matching("dev.caravan.connector.(*)..")
            .should().notDependOnEachOther()
            .because("connectors are interchangeable plug-ins found by ServiceLoader; code that two connectors "
                    + "share belongs in api (types) or core (engine helpers), not in one connector used by another")
            .allowEmptyShould(true);

    /** (b) Connectors implement the SPI only: no Camel, and none of the modules built on top of them. */
    public static final ArchRule CONNECTORS_DO_NOT_DEPEND_ON_UPPER_LAYERS = noClasses()
            .that().resideInAPackage("dev.caravan.connector..")
            .should().dependOnClassesThat().resideInAnyPackage(CAMEL_LIBRARY, CARAVAN_CAMEL, CARAVAN_RUNTIME,
                    CARAVAN_CLI)
            .because("a connector implements the plain-Java SPI of dev.caravan.api and is adapted to Camel by the "
                    + "camel module; talk to the engine through api types only and put Camel glue in "
                    + "dev.caravan.camel")
            .allowEmptyShould(true);

    /** (c) The engine and the record codecs work without Camel and without the modules above them. */
    public static final ArchRule CORE_AND_FORMATS_DO_NOT_DEPEND_ON_CAMEL = noClasses()
            .that().resideInAnyPackage("dev.caravan.core..", "dev.caravan.formats..")
            .should().dependOnClassesThat().resideInAnyPackage(CAMEL_LIBRARY, CARAVAN_CAMEL, CARAVAN_RUNTIME,
                    CARAVAN_CLI)
            .because("core and formats are usable from plain Java and are adapted to Camel by the camel module; "
                    + "move Camel-specific code (exchanges, processors, type converters) into dev.caravan.camel")
            .allowEmptyShould(true);

    /**
     * Opt-in (not part of {@link #layering()}): the engine finds connectors through
     * {@link java.util.ServiceLoader}, never by class, as the architecture states.
     */
    public static final ArchRule CORE_AND_FORMATS_DO_NOT_DEPEND_ON_CONNECTORS = noClasses()
            .that().resideInAnyPackage("dev.caravan.core..", "dev.caravan.formats..")
            .should().dependOnClassesThat().resideInAPackage("dev.caravan.connector..")
            .because("the engine finds connectors by ServiceLoader through dev.caravan.api.store.StoreProvider "
                    + "and friends; use the provider registry instead of naming a connector class")
            .allowEmptyShould(true);

    /** (d) The Camel adapter is a library: it never reaches up into runtime or cli. */
    public static final ArchRule CAMEL_DOES_NOT_DEPEND_ON_RUNTIME_OR_CLI = noClasses()
            .that().resideInAPackage(CARAVAN_CAMEL)
            .should().dependOnClassesThat().resideInAnyPackage(CARAVAN_RUNTIME, CARAVAN_CLI)
            .because("runtime embeds camel and cli embeds runtime; move what camel needs from them down into "
                    + "camel, core or api")
            .allowEmptyShould(true);

    /** (d) The runtime is embeddable without the command line. */
    public static final ArchRule RUNTIME_DOES_NOT_DEPEND_ON_CLI = noClasses()
            .that().resideInAPackage(CARAVAN_RUNTIME)
            .should().dependOnClassesThat().resideInAPackage(CARAVAN_CLI)
            .because("runtime is embedded by applications that have no command line; move what runtime needs "
                    + "from cli into runtime and let cli call it")
            .allowEmptyShould(true);

    private CaravanArchRules() {
    }

    /** The rules every module must pass (all but the opt-in ones). */
    public static List<ArchRule> layering() {
        return List.of(API_DEPENDS_ONLY_ON_JDK, CONNECTORS_ARE_INDEPENDENT, CONNECTORS_DO_NOT_DEPEND_ON_UPPER_LAYERS,
                CORE_AND_FORMATS_DO_NOT_DEPEND_ON_CAMEL, CAMEL_DOES_NOT_DEPEND_ON_RUNTIME_OR_CLI,
                RUNTIME_DOES_NOT_DEPEND_ON_CLI);
    }

    /** Checks every rule of {@link #layering()} and fails with the report of the first one violated. */
    public static void checkLayering(JavaClasses classes) {
        layering().forEach(rule -> rule.check(classes));
    }
}
