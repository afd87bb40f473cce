package io.voicecoach.coaching.llm;

/**
 * This instance did not make the LLM call: its pool, the tenant's share of it or the tenant's rate was used up
 * ({@link LlmPool}). {@link #code()} is what {@code agent.response.done.code} and {@code llm.usage.outcome} say.
 */
public class LlmRefusedException extends LlmException {

    /** Every in-flight slot of the instance is taken. */
    public static final String POOL_BUSY = "llm_busy";
    /** The tenant has its share of the slots in flight. */
    public static final String TENANT_BUSY = "llm_tenant_busy";
    /** The tenant started more calls than its rate allows. */
    public static final String RATE_LIMITED = "llm_rate_limited";

    private final String code;

    public LlmRefusedException(String code, String message) {
        super(Kind.REFUSED, message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
