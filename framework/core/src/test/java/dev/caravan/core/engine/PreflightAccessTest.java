package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.GrantedAccess;
import dev.caravan.api.store.StoreCapability;
import dev.caravan.api.store.StoreFeatures;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the plan asks of credentials that say what they grant ({@link GrantedAccess}, an Azure SAS): delete on a target
 * only where the run can delete there (a sync, a target written through temporary names, temporary objects left to
 * remove), on a source only for a move. Before, every target had to grant delete, so a SAS without d (which a careful
 * user gives a copy so that it can never destroy data) was refused even for a copy.
 */
class PreflightAccessTest {
    private final ForwardingStore source = new Granting(new MemoryStore("src"), true);

    @Test
    void aCopyToATargetWithAtomicPutsNeedsNoDelete() {
        ForwardingStore target = new Granting(new MemoryStore("dst"), true);

        assertThatCode(() -> Preflight.access(source, target, Mode.COPY)).doesNotThrowAnyException();
    }

    @Test
    void aSyncDeletesOnTheTargetSoItNeedsDelete() {
        ForwardingStore target = new Granting(new MemoryStore("dst"), true);

        assertThatThrownBy(() -> Preflight.access(source, target, Mode.SYNC)).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("the target mem:dst would refuse this migration: no DELETE")
                .hasMessageContaining("deletes in a sync")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
    }

    @Test
    void aTargetWrittenThroughTemporaryNamesRemovesThemSoItNeedsDelete() {
        ForwardingStore target = new Granting(new MemoryStore("dst"), false);

        assertThatThrownBy(() -> Preflight.access(source, target, Mode.COPY))
                .hasMessageContaining("the target mem:dst would refuse");
    }

    @Test
    void onlyAMoveNeedsDeleteOnTheSource() {
        ForwardingStore target = new Granting(new MemoryStore("dst"), true);

        assertThatThrownBy(() -> Preflight.access(source, target, Mode.MOVE))
                .hasMessageContaining("the source mem:src would refuse");
    }

    @Test
    void temporaryObjectsToRemoveFailThePlanOfATargetThatCannotDelete() {
        ForwardingStore target = new Granting(new MemoryStore("dst"), true);

        assertThat(Preflight.leftoversAccess(target, 0)).isEmpty();
        PreflightCheck check = Preflight.leftoversAccess(target, 2).orElseThrow();
        assertThat(check.status()).isEqualTo(PreflightCheck.Status.FAIL);
        assertThat(check.detail()).isEqualTo("2 temporary objects an interrupted run left on mem:dst would be"
                + " removed, which these credentials cannot: no DELETE; grant delete, or remove them otherwise");
        assertThat(Preflight.leftoversAccess(new Granting(new MemoryStore("all"), true, true), 1)).as("it may delete")
                .isEmpty();
    }

    @Test
    void aBackupDirNeedsToWriteAndCreateAndDeletesOnlyWhereItWritesTemporaryNames() {
        assertThat(Preflight.backupNeeds(new Granting(new MemoryStore("kept"), true)))
                .containsExactlyInAnyOrder(GrantedAccess.Need.READ, GrantedAccess.Need.WRITE, GrantedAccess.Need.CREATE);
        assertThatCode(() -> Preflight.backupAccess(new Granting(new MemoryStore("kept"), true)))
                .doesNotThrowAnyException();

        assertThatThrownBy(() -> Preflight.backupAccess(new Granting(new MemoryStore("kept"), false)))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("the backup dir mem:kept would refuse this migration: no DELETE")
                .hasMessageContaining("a backup dir reads, writes and creates the copies it keeps")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
    }

    /** A store whose credentials grant everything but delete ({@code deletes} false), with or without atomic puts. */
    private static final class Granting extends ForwardingStore {
        private final boolean atomicPut;
        private final boolean deletes;

        Granting(MemoryStore delegate, boolean atomicPut) {
            this(delegate, atomicPut, false);
        }

        Granting(MemoryStore delegate, boolean atomicPut, boolean deletes) {
            super(delegate);
            this.atomicPut = atomicPut;
            this.deletes = deletes;
        }

        @Override
        public StoreFeatures features() {
            StoreFeatures f = super.features();
            return new StoreFeatures(f.hashes(), f.modTimePrecision(), f.keepsModTime(), f.keepsPosixMode(), atomicPut,
                    f.caseInsensitive(), f.keeps());
        }

        @Override
        public <C extends StoreCapability> Optional<C> capability(Class<C> type) {
            if (type == GrantedAccess.class) {
                GrantedAccess granted = needs -> deletes || !needs.contains(GrantedAccess.Need.DELETE)
                        ? Optional.empty() : Optional.of("no DELETE");
                return Optional.of(type.cast(granted));
            }
            return super.capability(type);
        }
    }
}
