package io.voicecoach.tools.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The tools by name. Runs one and turns every failure, expected or not, into a {@link ToolOutcome}. */
@ApplicationScoped
public class ToolRegistry {

    private static final Logger LOG = Logger.getLogger(ToolRegistry.class);
    /** Metric tag for names no tool has, so bad input cannot grow the metric's cardinality. */
    private static final String UNKNOWN = "unknown";

    private final Map<String, Tool> tools;
    private final MeterRegistry meters;

    public ToolRegistry(Instance<Tool> tools, MeterRegistry meters) {
        this.tools = tools.stream().collect(Collectors.toMap(Tool::name, Function.identity(),
                (a, b) -> {
                    throw new IllegalStateException("two tools named " + a.name());
                }, TreeMap::new));
        this.meters = meters;
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(name).map(tools::get);
    }

    public ToolOutcome invoke(ToolInvocation invocation) {
        var tool = find(invocation.tool());
        ToolOutcome outcome;
        if (tool.isEmpty()) {
            outcome = ToolOutcome.failed(ToolErrors.UNKNOWN_TOOL, "no tool named '" + invocation.tool()
                    + "'; available: " + String.join(", ", tools.keySet()));
        } else {
            outcome = run(tool.get(), invocation);
        }
        runs(tool.map(Tool::name).orElse(UNKNOWN), outcome).increment();
        return outcome;
    }

    private static ToolOutcome run(Tool tool, ToolInvocation invocation) {
        try {
            return ToolOutcome.ok(tool.run(invocation));
        } catch (ToolException e) {
            return ToolOutcome.failed(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "tool %s failed on call %s of tenant %s", tool.name(), invocation.callId(), invocation.tenantId());
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
