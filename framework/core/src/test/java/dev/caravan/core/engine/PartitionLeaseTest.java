package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PartitionLeaseTest {
    private static final Duration LEASE = Duration.ofSeconds(8);
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aLeaseIsHeldFromTheClaimForThreeQuartersOfItsTimeUnlessRenewed() {
        PartitionLease lease = new PartitionLease(LEASE);
        assertThat(lease.held()).as("nothing claimed").isFalse();
        assertThat(lease.part()).as("nothing to renew").isEqualTo(-1);

        lease.claimed(7, System.nanoTime() - 5 * SECOND);
        assertThat(lease.held()).as("5 s of 6").isTrue();
        assertThat(lease.part()).as("the partition to renew").isEqualTo(7);

        lease.claimed(7, System.nanoTime() - 7 * SECOND);
        assertThat(lease.held()).as("7 s after the claim, no renewal").isFalse();
        long generation = lease.generation();
        assertThat(lease.renewed(generation, System.nanoTime(), true)).isFalse();
        assertThat(lease.held()).as("renewed just now").isTrue();
    }

    @Test
    void aRenewalThatFindsNoPartitionHeldLosesTheLeaseUntilTheNextClaim() {
        PartitionLease lease = new PartitionLease(LEASE);
        lease.claimed(7, System.nanoTime());
        long generation = lease.generation();

        assertThat(lease.renewed(generation, System.nanoTime(), false)).as("reported lost once").isTrue();
        assertThat(lease.held()).isFalse();
        assertThat(lease.renewed(generation, System.nanoTime(), true)).isFalse();
        assertThat(lease.held()).as("a later renewal does not give it back").isFalse();

        lease.claimed(7, System.nanoTime());
        assertThat(lease.held()).isTrue();
    }

    @Test
    void aRenewalThatStartedBeforeAClaimOrAfterTheWorkEndedChangesNothing() {
        PartitionLease lease = new PartitionLease(LEASE);
        long before = lease.generation();
        lease.claimed(7, System.nanoTime());
        assertThat(lease.renewed(before, System.nanoTime(), false)).as("found no partition before the claim").isFalse();
        assertThat(lease.held()).isTrue();

        lease.finished();
        assertThat(lease.held()).isFalse();
        assertThat(lease.part()).isEqualTo(-1);
        assertThat(lease.renewed(lease.generation(), System.nanoTime(), true)).isFalse();
        assertThat(lease.held()).as("renewed after the work ended").isFalse();
    }
}
