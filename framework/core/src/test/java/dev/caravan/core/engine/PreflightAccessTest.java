package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.GrantedAccess;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.GrantingStore;
import dev.caravan.core.testing.MemoryStore;
import org.junit.jupiter.api.Test;

/**
 * What the plan asks of credentials that say what they grant ({@link GrantedAccess}, an Azure SAS): delete on a target
 * only where the run can delete there (a sync, a target written through temporary names, temporary objects left to
 * remove), on a source only for a move. Before, every target had to grant delete, so a SAS without d (which a careful
 * user gives a copy so that it can never destroy data) was refused even for a copy.
 */
class PreflightAccessTest {
    private final ForwardingStore source = new GrantingStore(new MemoryStore("src"), true);

    @Test
    void aCopyToATargetWithAtomicPutsNeedsNoDelete() {
        ForwardingStore target = new GrantingStore(new MemoryStore("dst"), true);

        assertThatCode(() -> Preflight.access(source, target, Mode.COPY)).doesNotThrowAnyException();
    }

    @Test
    void aSyncDeletesOnTheTargetSoItNeedsDelete() {
        ForwardingStore target = new GrantingStore(new MemoryStore("dst"), true);

        assertThatThrownBy(() -> Preflight.access(source, target, Mode.SYNC)).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("the target mem:dst would refuse this migration: no DELETE")
                .hasMessageContaining("deletes in a sync")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
    }

    @Test
    void aTargetWrittenThroughTemporaryNamesRemovesThemSoItNeedsDelete() {
        ForwardingStore target = new GrantingStore(new MemoryStore("dst"), false);

        assertThatThrownBy(() -> Preflight.access(source, target, Mode.COPY))
                .hasMessageContaining("the target mem:dst would refuse");
    }

    @Test
    void onlyAMoveNeedsDeleteOnTheSource() {
        ForwardingStore target = new GrantingStore(new MemoryStore("dst"), true);

        assertThatThrownBy(() -> Preflight.access(source, target, Mode.MOVE))
                .hasMessageContaining("the source mem:src would refuse");
    }

    @Test
    void temporaryObjectsToRemoveFailThePlanOfATargetThatCannotDelete() {
        ForwardingStore target = new GrantingStore(new MemoryStore("dst"), true);

        assertThat(Preflight.leftoversAccess(target, 0)).isEmpty();
        PreflightCheck check = Preflight.leftoversAccess(target, 2).orElseThrow();
        assertThat(check.status()).isEqualTo(PreflightCheck.Status.FAIL);
        assertThat(check.detail()).isEqualTo("2 temporary objects an interrupted run left on mem:dst would be"
                + " removed, which these credentials cannot: no DELETE; grant delete, or remove them otherwise");
        assertThat(Preflight.leftoversAccess(new GrantingStore(new MemoryStore("all"), true, true), 1))
                .as("it may delete")
                .isEmpty();
    }

    @Test
    void aBackupDirNeedsToWriteAndCreateAndDeletesOnlyWhereItWritesTemporaryNames() {
        assertThat(Preflight.backupNeeds(new GrantingStore(new MemoryStore("kept"), true)))
                .containsExactlyInAnyOrder(GrantedAccess.Need.READ, GrantedAccess.Need.WRITE, GrantedAccess.Need.CREATE);
        assertThatCode(() -> Preflight.backupAccess(new GrantingStore(new MemoryStore("kept"), true)))
                .doesNotThrowAnyException();

        assertThatThrownBy(() -> Preflight.backupAccess(new GrantingStore(new MemoryStore("kept"), false)))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("the backup dir mem:kept would refuse this migration: no DELETE")
                .hasMessageContaining("a backup dir reads, writes and creates the copies it keeps")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
    }
}
