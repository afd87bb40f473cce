package io.voicecoach.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.voicecoach.tools.webhook.WebhookCaller;
import io.voicecoach.tools.webhook.WebhookTool;
import io.voicecoach.tools.webhook.WebhookToolSpec;
import io.voicecoach.tools.webhook.WebhookToolStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The tools by name: the built-in ones (CDI beans, the same for every tenant unless it disables them) and each
 * tenant's own webhook tools. Runs one for a tenant: refuses tools the tenant does not have or disabled, validates
 * the arguments against the tool's schema, then runs it, turning every failure, expected or not, into a
 * {@link ToolOutcome}. Lookups need a transaction (or request context).
 */
@ApplicationScoped
public class ToolRegistry {

    private static final Logger LOG = Logger.getLogger(ToolRegistry.class);
    /** Metric tag for names no tool has, so bad input cannot grow the metric's cardinality. */
    private static final String UNKNOWN = "unknown";
    /** Metric tag for every tenant-defined tool, for the same reason. */
    private static final String WEBHOOK = "webhook";
    /** Compiled webhook tool schemas by tenant, name and the schemas themselves; bounded in application.properties. */
    public static final String COMPILED_WEBHOOKS = "voicecoach-webhook-tools";
    private static final Pattern WEBHOOK_NAME = Pattern.compile(ToolDefinition.NAME);

    private record Registered(Tool tool, ArgumentValidator validator) {
    }

    /**
     * What a webhook tool's compiled schemas follow from. Not its version: a tool removed and added again under its
     * name starts again at version 1, and found its old schemas in the cache (ToolFuzzTest).
     */
    private record WebhookSchemas(String tenantId, String name, JsonNode parameters, JsonNode resultSchema) {
    }

    /** A webhook tool's schemas, compiled once. */
    private record CompiledWebhook(JsonSchema resultSchema, ArgumentValidator validator) {
    }

    private final Map<String, Registered> builtIns = new TreeMap<>();
    private final Cache compiledWebhooks;
    private final TenantTools tenantTools;
    private final WebhookToolStore webhooks;
    private final WebhookCaller webhookCaller;
    private final MeterRegistry meters;

    public ToolRegistry(Instance<Tool> tools, TenantTools tenantTools, WebhookToolStore webhooks,
                        WebhookCaller webhookCaller, MeterRegistry meters,
                        @CacheName(COMPILED_WEBHOOKS) Cache compiledWebhooks) {
        for (Tool tool : tools) {
            var definition = tool.definition();
            if (builtIns.put(definition.name(), new Registered(tool, new ArgumentValidator(definition))) != null) {
                throw new IllegalStateException("two tools named " + definition.name());
            }
        }
        this.tenantTools = tenantTools;
        this.webhooks = webhooks;
        this.webhookCaller = webhookCaller;
        this.meters = meters;
        this.compiledWebhooks = compiledWebhooks;
    }

    public boolean isBuiltIn(String name) {
        return name != null && builtIns.containsKey(name);
    }

    /** The built-in tool of that name. */
    public Optional<Tool> builtIn(String name) {
        return Optional.ofNullable(name).map(builtIns::get).map(Registered::tool);
    }

    /** Every built-in tool, sorted by name. */
    public Collection<Tool> builtIns() {
        return builtIns.values().stream().map(Registered::tool).toList();
    }

    /** The tenant's tool of that name, built-in or its own webhook tool, enabled or not. */
    public Optional<Tool> find(String tenantId, String name) {
        return builtIn(name).or(() -> webhookTool(tenantId, name).map(Registered::tool));
    }

    public boolean enabled(String tenantId, Tool tool) {
        return tool instanceof WebhookTool webhook ? webhook.spec().enabled() : tenantTools.enabled(tenantId, tool.name());
    }

    /** The tools the tenant has enabled, sorted by name. */
    public List<Tool> enabledFor(String tenantId) {
        var disabled = tenantTools.disabled(tenantId);
        var enabled = new ArrayList<Tool>();
        builtIns().stream().filter(t -> !disabled.contains(t.name())).forEach(enabled::add);
        webhooks.all(tenantId).stream().filter(WebhookToolSpec::enabled)
                .filter(spec -> !isBuiltIn(spec.name()))
                .map(spec -> webhookTool(spec).tool())
                .forEach(enabled::add);
        enabled.sort(Comparator.comparing(Tool::name));
        return enabled;
    }

    /** How long the tool may run when its limit comes from the tool itself (webhook tools: every retry); else empty. */
    public Optional<Duration> ownLimit(String tenantId, String name) {
        if (isBuiltIn(name) || !isWebhookName(name)) {
            return Optional.empty();
        }
        return webhooks.find(tenantId, name).map(webhookCaller::worstCase);
    }

    public ToolOutcome invoke(ToolInvocation invocation) {
        return prepare(invocation).get();
    }

    /**
     * Looks the tool up and validates the arguments now (this needs the transaction), and returns what runs it. A
     * tenant's webhook tool then needs no database: its call can run after the transaction ended.
     */
    public Supplier<ToolOutcome> prepare(ToolInvocation invocation) {
        String name = invocation.tool();
        Optional<Registered> registered = Optional.ofNullable(name).map(builtIns::get)
                .filter(r -> tenantTools.enabled(invocation.tenantId(), name))
                .or(() -> webhookTool(invocation.tenantId(), name)
                        .filter(r -> ((WebhookTool) r.tool()).spec().enabled()));
        String tag = registered.map(r -> r.tool() instanceof WebhookTool ? WEBHOOK : r.tool().name()).orElse(UNKNOWN);
        if (registered.isEmpty()) {
            return counted(tag, ToolOutcome.failed(ToolErrors.UNKNOWN_TOOL, "no tool named '" + name
                    + "'; available: " + String.join(", ", enabledFor(invocation.tenantId()).stream()
                    .map(Tool::name).toList())));
        }
        try {
            registered.get().validator().validate(invocation.arguments());
        } catch (ToolException e) {
            return counted(tag, ToolOutcome.failed(e));
        } catch (RuntimeException e) {
            LOG.errorf(e, "validating the arguments of tool %s failed on call %s of tenant %s", name,
                    invocation.callId(), invocation.tenantId());
            return counted(tag, ToolOutcome.failed(ToolErrors.INTERNAL, "the tool failed unexpectedly; try again later"));
        }
        return () -> {
            var outcome = run(registered.get(), invocation);
            runs(tag, outcome).increment();
            return outcome;
        };
    }

    private Supplier<ToolOutcome> counted(String tag, ToolOutcome outcome) {
        return () -> {
            runs(tag, outcome).increment();
            return outcome;
        };
    }

    private Optional<Registered> webhookTool(String tenantId, String name) {
        if (isBuiltIn(name) || !isWebhookName(name)) {
            return Optional.empty();
        }
        return webhooks.find(tenantId, name).map(this::webhookTool);
    }

    /** A name no tenant can give a tool is not looked up (one with a NUL char failed the query: ToolFuzzTest). */
    private static boolean isWebhookName(String name) {
        return name != null && WEBHOOK_NAME.matcher(name).matches();
    }

    /** Compiles a webhook tool's schemas once per definition of them. */
    private Registered webhookTool(WebhookToolSpec spec) {
        var schemas = new WebhookSchemas(spec.tenantId(), spec.name(), spec.parameters(), spec.resultSchema());
        CompiledWebhook compiled = compiledWebhooks.get(schemas, key -> new CompiledWebhook(
                spec.resultSchema() == null ? null : Schemas.compile(spec.resultSchema()),
                new ArgumentValidator(spec.definition()))).await().indefinitely();
        return new Registered(new WebhookTool(spec, compiled.resultSchema(), webhookCaller), compiled.validator());
    }

    private static ToolOutcome run(Registered registered, ToolInvocation invocation) {
        try {
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
