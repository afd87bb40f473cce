package io.voicecoach.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "voicecoach.gateway")
public interface GatewayConfig {

    /**
     * Names this instance's fan-out consumer groups and its liveness record on {@code gateway.instances}; must differ
     * per instance (the pod name).
     */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();

    /** How often this instance publishes its liveness record on {@code gateway.instances}. */
    @WithDefault("3s")
    Duration heartbeatInterval();

    /** An instance whose liveness record is older than this is dead: its sessions become orphans. */
    @WithDefault("10s")
    Duration instanceTimeout();

    /** On shutdown, how long the gateway waits for its sessions to be handed over (utterances committed, published). */
    @WithDefault("10s")
    Duration drainTimeout();

    /** How long a verified (or refused) API key is remembered; a revocation reaches other instances after it. */
    @WithDefault("30s")
    Duration apiKeyCacheTtl();

    @WithDefault("10000")
    int apiKeyCacheMaxEntries();

    /**
     * How often each instance checks the credentials of its open connections again (past the cache): a revoked key
     * or client secret, or a suspended tenant, closes them within this on every instance (at once on the instance
     * that made the change).
     */
    @WithDefault("2s")
    Duration credentialRecheckInterval();

    /** Event and suggestion ids remembered per session to drop redelivered Kafka records. */
    @WithDefault("1024")
    int recentIdsPerSession();

    /** Length of the audio chunks published to {@code voice.audio}, in milliseconds of 16 kHz audio. */
    @WithDefault("200")
    int audioChunkMs();

    /** With turn detection, a turn longer than this is committed and continues as a new utterance; 0 = never. */
    @WithDefault("30000")
    int maxUtteranceMs();

    /** Energy VAD: frames quieter than this (dBFS) are never speech. */
    @WithDefault("-60")
    double vadMinSpeechDbfs();

    /** Energy VAD: consecutive speech needed before speech_started (filters clicks). */
    @WithDefault("60")
    int vadMinSpeechMs();

    /** Energy VAD: the noise floor is the quietest 20 ms frame within this window. */
    @WithDefault("2000")
    int vadFloorWindowMs();

    /** Lifetime of a client secret when the request names none. */
    @WithDefault("10m")
    Duration clientSecretTtl();

    /** Longest lifetime a client secret can ask for ({@code expires_after}); longer requests are capped. */
    @WithDefault("2h")
    Duration clientSecretMaxTtl();

    /**
     * How long an expired client secret is kept before it is deleted (until then, presenting it is refused as
     * {@code expired_credentials} rather than {@code invalid_credentials}).
     */
    @WithDefault("1h")
    Duration clientSecretRetention();

    /** How often each instance deletes the client secrets past {@code client-secret-retention}. */
    @WithDefault("10m")
    Duration clientSecretPurgeInterval();
}
