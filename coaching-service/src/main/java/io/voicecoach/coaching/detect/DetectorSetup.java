package io.voicecoach.coaching.detect;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The detector in use: the tenant's active playbook (rules, then embedding similarity for what the rules miss), the
 * bundled default for tenants without one and for callers that name no tenant.
 */
public class DetectorSetup {

    @Produces
    @Singleton
    @Startup
    Detector detector(TenantEngines engines) {
        return new Detector() {
            @Override
            public java.util.Optional<Detection> detect(io.voicecoach.events.Transcript transcript) {
                return engines.defaultEngine().detector().detect(transcript);
            }

            @Override
            public java.util.Optional<Detection> detect(String tenantId, io.voicecoach.events.Transcript transcript) {
                return engines.forTenant(tenantId).detector().detect(transcript);
            }
        };
    }
}
