package dev.caravan.connector.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import org.junit.jupiter.api.Test;
import org.libvirt.Error.ErrorNumber;

/** The classification of libvirt errors by what the runner should do. */
class LibvirtErrorsTest {

    @Test
    void missingThingsAreNotFound() {
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_NO_DOMAIN, "Domain not found")).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_NO_STORAGE_POOL, "")).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, "")).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void driverGapsAreUnsupported() {
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_NO_SUPPORT,
                "this function is not supported by the connection driver: virDomainMigrate3"))
                .isEqualTo(ErrorKind.UNSUPPORTED);
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
                "offline migration is not supported by the source host")).isEqualTo(ErrorKind.UNSUPPORTED);
    }

    @Test
    void whatTheUserMustChangeIsUserConfig() {
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_MIGRATE_UNSAFE, "Unsafe migration"))
                .isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_AUTH_FAILED, "authentication failed"))
                .isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_CPU_INCOMPATIBLE, "")).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_INTERNAL_ERROR,
                "Attempt to migrate guest to the same host 5d6c0a3e")).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_OPEN_FAILED, "failed to load external entity"))
                .isEqualTo(ErrorKind.USER_CONFIG);
    }

    @Test
    void connectionTroubleIsTransientAndTheRestFatal() {
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_RPC, "")).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_SYSTEM_ERROR,
                "Failed to connect socket to '/run/libvirt/libvirt-sock': Connection refused"))
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_OPERATION_ABORTED, "migration out: canceled by client"))
                .isEqualTo(ErrorKind.FATAL);
        assertThat(LibvirtErrors.kindOf(ErrorNumber.VIR_ERR_INTERNAL_ERROR, "argument key 'host' must not have "
                + "null value")).isEqualTo(ErrorKind.FATAL);
        assertThat(LibvirtErrors.number(0)).isEqualTo(ErrorNumber.VIR_ERR_OK);
        assertThat(LibvirtErrors.number(42)).isEqualTo(ErrorNumber.VIR_ERR_NO_DOMAIN);
        assertThat(LibvirtErrors.number(100_000)).isEqualTo(ErrorNumber.VIR_ERR_UNKNOWN);
    }
}
