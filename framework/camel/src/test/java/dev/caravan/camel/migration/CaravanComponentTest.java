package dev.caravan.camel.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.camel.testing.Errors;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.CutoffMode;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.verify.VerifyMode;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.UriParam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CaravanComponentTest {
    private CamelContext context;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private CaravanEndpoint endpoint(String uri) {
        return context.getEndpoint(uri, CaravanEndpoint.class);
    }

    private String failure(String uri) {
        Throwable t = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> endpoint(uri));
        return Errors.chain(t);
    }

    @Test
    void endpointOptionsBecomeTheSpec() {
        CaravanEndpoint ep = endpoint("caravan:migrate?source=mem:a&target=mem:b&mode=sync&include=**/*.{csv,txt},"
                + "logs/**&exclude=*.tmp&minSize=1k&maxSize=2G&minAge=1h&maxAge=7d&compare=checksum&verify=size"
                + "&maxDelete=10%25&transfers=8&bandwidth=10M&retries=2&outageWait=2m&name=nightly&source.label=x"
                + "&maxTransfer=50G&maxDuration=6h&cutoffMode=cautious"
                + "&target.corrupt=false"
                + "&metadataRules=RAW(drop:tag.*; lowercase)&keyMap=RAW(replace:\\=\uff3c;replace::=_)");
        MigrationSpec spec = ep.spec();

        assertThat(ep.getOperation()).isEqualTo(CaravanOperation.MIGRATE);
        assertThat(spec.source()).isEqualTo("mem:a");
        assertThat(spec.target()).isEqualTo("mem:b");
        assertThat(spec.mode()).isEqualTo(Mode.SYNC);
        assertThat(spec.filters().include()).containsExactly("**/*.{csv,txt}", "logs/**");
        assertThat(spec.filters().exclude()).containsExactly("*.tmp");
        assertThat(spec.filters().minSize()).isEqualTo(1024);
        assertThat(spec.filters().maxSize()).isEqualTo(2L << 30);
        assertThat(spec.filters().minAge()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.filters().maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(spec.compare()).isEqualTo(Compare.CHECKSUM);
        assertThat(spec.verify()).isEqualTo(VerifyMode.SIZE);
        assertThat(spec.maxDelete()).isEqualTo("10%");
        assertThat(spec.metadataRules()).containsExactly("drop:tag.*", "lowercase");
        assertThat(spec.keyMap()).containsExactly("replace:\\=\uff3c", "replace::=_");
        assertThat(spec.transfers()).isEqualTo(8);
        assertThat(spec.bandwidth()).isEqualTo(10L << 20);
        assertThat(spec.retries()).isEqualTo(2);
        assertThat(spec.outageWait()).isEqualTo(Duration.ofMinutes(2));
        assertThat(spec.maxTransfer()).isEqualTo(50L << 30);
        assertThat(spec.maxDuration()).isEqualTo(Duration.ofHours(6));
        assertThat(spec.cutoffMode()).isEqualTo(CutoffMode.CAUTIOUS);
        assertThat(spec.name()).isEqualTo("nightly");
        assertThat(spec.sourceOptions()).isEqualTo(Map.of("label", "x"));
        assertThat(spec.targetOptions()).isEqualTo(Map.of("corrupt", "false"));
    }

    @Test
    void filterFilesAreReadWhenTheEndpointStartsAndAHeaderNamingOthersHasThemReadThen(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path inc = java.nio.file.Files.writeString(dir.resolve("inc.txt"), "# globs\r\n*.csv\r\n");
        java.nio.file.Path exc = java.nio.file.Files.writeString(dir.resolve("exc.txt"), "tmp/**\n");
        java.nio.file.Path keys = java.nio.file.Files.writeString(dir.resolve("keys.txt"), "./b.csv\n/a.csv\n");
        CaravanEndpoint ep = endpoint("caravan:migrate?source=mem:a&target=mem:b&include=*.txt&includeFrom=RAW(" + inc
                + ")&excludeFrom=RAW(" + exc + ")&filesFrom=RAW(" + keys + ")");
        java.nio.file.Files.writeString(keys, "changed.csv\n"); // read at the start: a later change is not seen
        MigrationSpec spec = ep.spec();
        assertThat(spec.filters().include()).containsExactly("*.txt", "*.csv");
        assertThat(spec.filters().exclude()).containsExactly("tmp/**");
        assertThat(spec.filters().filesFrom().keys()).containsExactly("a.csv", "b.csv");

        java.nio.file.Path other = java.nio.file.Files.writeString(dir.resolve("other.txt"), "c.csv\n");
        MigrationSpec overridden = ep.spec(h -> h.equals(CaravanConstants.FILES_FROM) ? other.toString() : null,
                "r");
        assertThat(overridden.filters().filesFrom().keys()).containsExactly("c.csv");
        assertThat(overridden.filters().include()).containsExactly("*.txt", "*.csv");
    }

    @Test
    void badFilterFilesFailTheStartNamingFileAndLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path hostile = java.nio.file.Files.writeString(dir.resolve("keys.txt"), "a\n../b\n");
        Throwable t = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> endpoint("caravan:migrate?source=mem:a&target=mem:b&filesFrom=RAW(" + hostile + ")"));
        assertThat(findCause(t).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(Errors.chain(t)).contains("filesFrom '" + hostile + "' line 2: key '../b'");
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&includeFrom=RAW(" + dir.resolve("none.txt")
                + ")")).contains("cannot read includeFrom '" + dir.resolve("none.txt") + "': no such file");
    }

    @Test
    void unsetAndBlankOptionsKeepTheDefaults() {
        MigrationSpec spec = endpoint("caravan:plan?source=mem:a&target=mem:b&include=&maxDelete=&bandwidth=")
                .spec(h -> null, "route-7");
        MigrationSpec defaults = MigrationSpec.builder("mem:a", "mem:b").name("route-7").build();
        assertThat(spec).isEqualTo(defaults);
    }

    @Test
    void headersOverrideOptions() {
        CaravanEndpoint ep = endpoint("caravan:migrate?source=mem:a&target=mem:b&mode=copy&source.label=x");
        Map<String, Object> headers = Map.of(CaravanConstants.MODE, "move", CaravanConstants.TARGET, "mem:c",
                CaravanConstants.TRANSFERS, 2, CaravanConstants.SOURCE_OPTIONS, Map.of("label", "y"));
        MigrationSpec spec = ep.spec(headers::get, "r");
        assertThat(spec.mode()).isEqualTo(Mode.MOVE);
        assertThat(spec.target()).isEqualTo("mem:c");
        assertThat(spec.transfers()).isEqualTo(2);
        assertThat(spec.sourceOptions()).isEqualTo(Map.of("label", "y"));
        assertThat(spec.name()).isEqualTo("r");
    }

    @Test
    void aCutoffModeComesFromAHeaderAndIsRefusedWithoutAMaxDuration() {
        CaravanEndpoint ep = endpoint("caravan:migrate?source=mem:a&target=mem:b&maxDuration=6h&cutoffMode=soft");
        assertThat(ep.spec().cutoffMode()).isEqualTo(CutoffMode.SOFT);
        assertThat(ep.spec(Map.<String, Object>of(CaravanConstants.CUTOFF_MODE, "hard")::get, "r").cutoffMode())
                .isEqualTo(CutoffMode.HARD);
        assertThat(endpoint("caravan:migrate?source=mem:a&target=mem:b&maxDuration=6h").spec().cutoffMode())
                .as("not given: the default applies").isNull();
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&cutoffMode=soft"))
                .contains("set a max duration too");
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&maxDuration=1h&cutoffMode=gentle"))
                .contains("unknown cut-off mode 'gentle'");
    }

    @Test
    void aBackupDirAndItsSuffixComeFromOptionsOrHeadersAndALoneSuffixIsRefused() {
        CaravanEndpoint ep = endpoint("caravan:migrate?source=mem:a&target=mem:b&backupDir=mem:old&suffix=.1"
                + "&suffixKeepExtension=true");
        assertThat(ep.spec().backup()).isEqualTo(new BackupDir("mem:old", ".1", true));
        assertThat(ep.spec(Map.<String, Object>of(CaravanConstants.BACKUP_DIR, "mem:older",
                CaravanConstants.SUFFIX_KEEP_EXTENSION, "false")::get, "r").backup())
                .isEqualTo(new BackupDir("mem:older", ".1", false));
        assertThat(endpoint("caravan:migrate?source=mem:a&target=mem:b").spec().backup()).isNull();
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&suffix=.1"))
                .contains("give the backup dir too");
    }

    @Test
    void theBackupDirsConnectorOptionsComeFromBackupPrefixedOptionsOrTheirHeaderAndNeedABackupDir() {
        String label = java.util.UUID.randomUUID().toString();
        CaravanEndpoint ep = endpoint("caravan:migrate?source=mem:a&target=mem:b&target.label=t-" + label
                + "&backupDir=mem:old&backup.label=" + label);
        assertThat(ep.spec().backup().options()).isEqualTo(Map.of("label", label));
        assertThat(ep.spec(Map.<String, Object>of(CaravanConstants.BACKUP_OPTIONS, Map.of("label", "h-" + label))::get,
                "r").backup().options()).isEqualTo(Map.of("label", "h-" + label));
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&backup.label=" + label))
                .contains("give the backup dir too");
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&backupDir=mem:old&backup.labl=x"))
                .contains("unknown option 'labl' for mem");
    }

    @Test
    void backupConnectorCarriesTheBackupDirsOptionsAsOneStringUnderTheBackupPrefixedOnes() {
        String label = java.util.UUID.randomUUID().toString();
        CaravanEndpoint ep = endpoint("caravan:migrate?source=mem:a&target=mem:b&backupDir=mem:old"
                + "&backupConnector=RAW(label=" + label + ";corrupt=false)");
        assertThat(ep.spec().backup().options()).isEqualTo(Map.of("label", label, "corrupt", "false"));
        assertThat(endpoint("caravan:migrate?source=mem:a&target=mem:b&backupDir=mem:old&backupConnector=RAW(label="
                + label + ")&backup.label=p-" + label).spec().backup().options()).isEqualTo(Map.of("label", "p-"
                + label));
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&backupConnector=RAW(label=" + label + ")"))
                .contains("give the backup dir too");
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&backupDir=mem:old&backupConnector=labl=x"))
                .contains("unknown option 'labl' for mem");
    }

    @Test
    void sourceAndTargetMayComeFromHeadersOnly() {
        CaravanEndpoint ep = endpoint("caravan:migrate");
        assertThatThrownBy(ep::spec).isInstanceOf(MigrationException.class)
                .hasMessageContaining("option 'source' is required").hasMessageContaining("CamelCaravanSource");
        MigrationSpec spec = ep.spec(Map.<String, Object>of(CaravanConstants.SOURCE, "mem:x",
                CaravanConstants.TARGET, "mem:y")::get, null);
        assertThat(spec.name()).isEqualTo("mem:x -> mem:y");
    }

    @Test
    void unknownOptionFailsAtCreationListingKnownOptions() {
        String msg = failure("caravan:migrate?source=mem:a&target=mem:b&maxDelet=5");
        assertThat(msg).contains("unknown option 'maxDelet' for caravan:")
                .contains("did you mean 'maxDelete'?")
                .contains("known options: backup.*, backupConnector, backupDir, bandwidth, compare, cutoffMode, exclude, excludeFrom, filesFrom,"
                        + " include, includeFrom, keyMap, lazyStartProducer, maxAge, maxDelete")
                .contains("source.*").contains("target.*");
    }

    @Test
    void unknownOperationListsOperations() {
        assertThat(failure("caravan:migrat?source=mem:a&target=mem:b"))
                .contains("unknown caravan operation 'migrat' (known operations: migrate, plan, verify)");
    }

    @Test
    void unknownConnectorListsKnownConnectors() {
        assertThat(failure("caravan:migrate?source=nope:/x&target=mem:b"))
                .contains("source 'nope:/x': unknown connector 'nope' (known connectors: ").contains("mem");
    }

    @Test
    void unknownConnectorOptionListsTheConnectorsOptions() {
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&target.bogus=1"))
                .contains("target 'mem:b': unknown option 'bogus' for mem (known options: label, corrupt)");
    }

    @Test
    void badValuesNameTheOption() {
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&mode=mirror"))
                .contains("option 'mode': 'mirror' is not one of copy, sync, move");
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&bandwidth=fast"))
                .contains("option 'bandwidth': not a size: 'fast'");
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&transfers=0"))
                .contains("transfers must be at least 1");
        assertThat(failure("caravan:migrate?source=mem:a&target=mem:b&include=[abc"))
                .contains("bad glob '[abc'");
        assertThat(failure("caravan:migrate?source=/data&target=mem:b"))
                .contains("'/data' has no connector scheme");
    }

    @Test
    void errorsAreUserConfig() {
        try {
            endpoint("caravan:migrate?source=mem:a&target=mem:b&verify=md5");
        } catch (RuntimeException e) {
            MigrationException cause = findCause(e);
            assertThat(cause.kind()).isEqualTo(ErrorKind.USER_CONFIG);
            return;
        }
        throw new AssertionError("no exception");
    }

    @Test
    void everyOptionHasAnOverrideHeaderConstant() throws Exception {
        List<String> constants = new java.util.ArrayList<>();
        for (Field f : CaravanConstants.class.getFields()) {
            constants.add((String) f.get(null));
        }
        for (Field f : MigrationConfiguration.class.getDeclaredFields()) {
            UriParam p = f.getAnnotation(UriParam.class);
            if (p != null) {
                String option = p.prefix().isEmpty() ? f.getName() : p.prefix().replace(".", "") + "Options";
                assertThat(constants).as("header for option " + option).contains(CaravanConstants.headerOf(option));
            }
        }
        assertThat(CaravanComponent.optionNames()).contains("source", "target", "mode", "include", "exclude",
                "minSize", "maxSize", "minAge", "maxAge", "compare", "verify", "maxDelete", "transfers", "bandwidth",
                "retries", "outageWait", "maxTransfer", "maxDuration", "cutoffMode", "name", "source.*", "target.*",
                "includeFrom", "excludeFrom", "filesFrom");
    }

    private static MigrationException findCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof MigrationException m) {
                return m;
            }
        }
        throw new AssertionError("no MigrationException in " + Errors.chain(t));
    }
}
