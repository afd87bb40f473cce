package io.voicecoach.transcription.audio;

/**
 * This instance's hold on one {@code voice.audio} partition, from its assignment until it is revoked or lost. An
 * utterance keeps the lease it began under: once revoked, its records are no longer acknowledged (the partition's
 * new owner decodes the utterance again from the uncommitted offsets).
 */
public final class PartitionLease {

    private final int partition;
    private volatile boolean revoked;

    PartitionLease(int partition) {
        this.partition = partition;
    }

    public int partition() {
        return partition;
    }

    public boolean revoked() {
        return revoked;
    }

    void revoke() {
        revoked = true;
    }
}
