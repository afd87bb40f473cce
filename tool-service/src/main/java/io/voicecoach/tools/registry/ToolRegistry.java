package io.voicecoach.tools.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tools by name. Runs one for a tenant: refuses tools the tenant disabled, validates the arguments against the
 * tool's schema, then runs it, turning every failure, expected or not, into a {@link ToolOutcome}.
 */
@ApplicationScoped
public class ToolRegistry {

    private static final Logger LOG = Logger.getLogger(ToolRegistry.class);
    /** Metric tag for names no tool has, so bad input cannot grow the metric's cardinality. */
    private static final String UNKNOWN = "unknown";

    private record Registered(Tool tool, ArgumentValidator validator) {
    }

    private final Map<String, Registered> tools = new TreeMap<>();
    private final TenantTools tenantTools;
    private final MeterRegistry meters;

    public ToolRegistry(Instance<Tool> tools, TenantTools tenantTools, MeterRegistry meters) {
        for (Tool tool : tools) {
            var definition = tool.definition();
            if (this.tools.put(definition.name(), new Registered(tool, new ArgumentValidator(definition))) != null) {
                throw new IllegalStateException("two tools named " + definition.name());
            }
        }
        this.tenantTools = tenantTools;
        this.meters = meters;
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(name).map(tools::get).map(Registered::tool);
    }

    /** Every tool, sorted by name. */
    public Collection<Tool> all() {
        return tools.values().stream().map(Registered::tool).toList();
    }

    /** The tools the tenant has enabled, sorted by name. Needs a transaction (or request context) for the lookup. */
    public List<Tool> enabledFor(String tenantId) {
        var disabled = tenantTools.disabled(tenantId);
        return all().stream().filter(t -> !disabled.contains(t.name())).toList();
    }

    public ToolOutcome invoke(ToolInvocation invocation) {
        var registered = Optional.ofNullable(invocation.tool()).map(tools::get)
                .filter(r -> tenantTools.enabled(invocation.tenantId(), r.tool().name()));
        ToolOutcome outcome;
        if (registered.isEmpty()) {
            outcome = ToolOutcome.failed(ToolErrors.UNKNOWN_TOOL, "no tool named '" + invocation.tool()
                    + "'; available: " + String.join(", ",
                    enabledFor(invocation.tenantId()).stream().map(Tool::name).toList()));
        } else {
            outcome = run(registered.get(), invocation);
        }
        runs(registered.map(r -> r.tool().name()).orElse(UNKNOWN), outcome).increment();
        return outcome;
    }

    private static ToolOutcome run(Registered registered, ToolInvocation invocation) {
        try {
            registered.validator().validate(invocation.arguments());
            return ToolOutcome.ok(registered.tool().run(invocation));
        } catch (ToolException e) {
            return ToolOutcome.failed(e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "tool %s failed on call %s of tenant %s", registered.tool().name(), invocation.callId(),
                    invocation.tenantId());
            return ToolOutcome.failed(ToolErrors.INTERNAL, "the tool failed unexpectedly; try again later");
        }
    }

    private Counter runs(String tool, ToolOutcome outcome) {
        return Counter.builder("voicecoach.tool.runs")
                .description("Tool executions (replays of a stored result excluded)")
                .tag("tool", tool)
                .tag("status", outcome.status())
                .tag("code", outcome.error() == null ? "none" : outcome.error().code())
                .register(meters);
    }
}
