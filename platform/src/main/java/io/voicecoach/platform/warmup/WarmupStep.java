package io.voicecoach.platform.warmup;

/**
 * Work a service does once at start so that its first real request is as fast as its hundredth: code paths run,
 * serialisers built, first queries and metadata fetched. It must publish and store nothing. A bean implementing this
 * is run by {@link StartupWarmup} before the instance reports ready.
 */
public interface WarmupStep {

    /** What the step warms, for the log and the readiness data. */
    String name();

    void run();
}
