package io.voicecoach.coaching.llm;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Starts one {@link StubLlmServer} for the test JVM and points the test tenants at it: {@code acme} (coaching and
 * summaries), {@code agentco} (voice agent), {@code coldco} (configured but disabled). Tool definitions for every
 * tenant come from the same server.
 */
public class StubLlmResource implements QuarkusTestResourceLifecycleManager {

    public static final String COACH_TENANT = "acme";
    public static final String AGENT_TENANT = "agentco";
    public static final String DISABLED_TENANT = "coldco";
    /** An agent tenant whose share of the LLM pool is one call in flight. */
    public static final String FLOOD_TENANT = "floodco";
    /** An agent tenant that may start one LLM call a minute. */
    public static final String RATE_TENANT = "rateco";
    /** A tenant whose rate allows thousands of calls a minute (many calls at once). */
    public static final String BUSY_TENANT = "busyco";
    /** An agent tenant with its own instructions and tool set, which ignores client instructions. */
    public static final String SCOPED_TENANT = "scopedco";
    public static final String SCOPED_INSTRUCTIONS = "You are the service desk of Scoped Motors. Only talk about car service.";
    public static final String API_KEY = "sk-test-acme";

    private static StubLlmServer server;

    public static synchronized StubLlmServer server() {
        if (server == null) {
            server = new StubLlmServer();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        var stub = server();
        var config = new HashMap<String, String>();
        for (String tenant : new String[]{COACH_TENANT, AGENT_TENANT, DISABLED_TENANT, FLOOD_TENANT, RATE_TENANT,
                SCOPED_TENANT, BUSY_TENANT}) {
            String prefix = "voicecoach.llm.tenants.\"" + tenant + "\".";
            config.put(prefix + "enabled", String.valueOf(!tenant.equals(DISABLED_TENANT)));
            config.put(prefix + "base-url", stub.baseUrl(tenant));
            config.put(prefix + "api-key", API_KEY);
            config.put(prefix + "live-model", "fast-model");
            config.put(prefix + "summary-model", "strong-model");
            config.put(prefix + "price-per-1k-prompt", "0.5");
            config.put(prefix + "price-per-1k-completion", "1.5");
            config.put(prefix + "summary-price-per-1k-prompt", "5");
            config.put(prefix + "summary-price-per-1k-completion", "15");
        }
        config.put("voicecoach.llm.tenants.\"" + FLOOD_TENANT + "\".max-in-flight", "1");
        config.put("voicecoach.llm.tenants.\"" + RATE_TENANT + "\".calls-per-minute", "1");
        config.put("voicecoach.llm.tenants.\"" + RATE_TENANT + "\".call-burst", "1");
        config.put("voicecoach.llm.tenants.\"" + BUSY_TENANT + "\".calls-per-minute", "60000");
        config.put("voicecoach.llm.tenants.\"" + BUSY_TENANT + "\".call-burst", "1000");
        config.put("voicecoach.agent.tenants.\"" + SCOPED_TENANT + "\".instructions", SCOPED_INSTRUCTIONS);
        config.put("voicecoach.agent.tenants.\"" + SCOPED_TENANT + "\".tools", "get_available_slots");
        config.put("voicecoach.agent.tenants.\"" + SCOPED_TENANT + "\".client-instructions", "ignore");
        config.put("voicecoach.agent.tenants.\"" + SCOPED_TENANT + "\".client-functions", "false");
        config.put("voicecoach.agent.tools-url", stub.url());
        return config;
    }

    @Override
    public void stop() {
        // shared for the whole JVM
    }
}
