package io.voicecoach.gateway;

import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.TenantDirectory;

import java.util.UUID;

/** A fresh tenant with one API key, so limits counted per tenant start from zero in each test. */
record TestTenants(TenantDirectory directory, ApiKeys apiKeys) {

    record Tenant(String id, String key) {
    }

    Tenant create(String prefix) {
        String id = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        String key = "vc_" + id + "_" + UUID.randomUUID();
        directory.ensureTenant(id, prefix);
        apiKeys.register(id, key);
        return new Tenant(id, key);
    }
}
