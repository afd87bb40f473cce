package io.voicecoach.tools.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.events.EventJson;
import io.voicecoach.platform.security.CallerTenant;
import io.voicecoach.tools.ToolsConfig;
import io.voicecoach.tools.registry.Schemas;
import io.voicecoach.tools.registry.TenantTools;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolRegistry;
import io.voicecoach.tools.webhook.EndpointPolicy;
import io.voicecoach.tools.webhook.WebhookTool;
import io.voicecoach.tools.webhook.WebhookToolSpec;
import io.voicecoach.tools.webhook.WebhookToolStore;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The calling tenant's tool registry: the function definitions its LLM may call, switching tools on and off, and
 * the tenant's own webhook tools (add, change, remove, rotate the signing secret). The tenant comes from the API key
 * ({@link CallerTenant}), never from the request.
 */
@Path("/api/v1/tools")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tools")
public class ToolsResource {

    /** One tool as the tenant sees it; {@code webhook} only for the tenant's own tools (without the secret). */
    @RegisterForReflection
    public record ToolView(String name, String description, JsonNode parameters, boolean enabled, String kind,
                           WebhookView webhook) {
    }

    @RegisterForReflection
    public record WebhookView(String url, int timeoutMs, boolean idempotent, JsonNode resultSchema) {
    }

    /** The answer to adding a tool: the tool, and its signing secret, shown this once. */
    @RegisterForReflection
    public record CreatedTool(String name, String description, JsonNode parameters, boolean enabled, String kind,
                              WebhookView webhook, String signingSecret) {
    }

    @RegisterForReflection
    public record RotatedSecret(String name, String signingSecret) {
    }

    /** The request body, for the OpenAPI document (read by {@link ToolRequest}). */
    @Schema(name = "ToolRequest", description = "A webhook tool. PATCH: any subset; built-in tools take only 'enabled'.")
    public record ToolRequestDoc(
            @Schema(description = "1-64 of A-Z a-z 0-9 _ -; not a built-in tool's name") String name,
            @Schema(description = "What the tool does, for the LLM; at most 1024 characters") String description,
            @Schema(description = "JSON Schema 2020-12 of the arguments, \"type\": \"object\"; $ref only into itself")
            Object parameters,
            @Schema(description = "default true") Boolean enabled,
            WebhookDoc webhook) {
    }

    public record WebhookDoc(
            @Schema(description = "https:// endpoint the calls are POSTed to") String url,
            @Schema(description = "per attempt, 100-60000 ms; default voicecoach.tools.webhook.default-timeout")
            Integer timeoutMs,
            @Schema(description = "safe to repeat: retried on 5xx, timeouts and connection errors; default false")
            Boolean idempotent,
            @Schema(description = "optional JSON Schema the endpoint's answer must satisfy") Object resultSchema) {
    }

    private static final String BUILT_IN = "builtin";
    private static final String WEBHOOK = "webhook";

    private final ToolRegistry registry;
    private final TenantTools tenantTools;
    private final WebhookToolStore webhooks;
    private final EndpointPolicy endpoints;
    private final ToolsConfig.Webhook webhookConfig;
    private final ToolRequestCheck check;
    private final CallerTenant caller;

    public ToolsResource(ToolRegistry registry, TenantTools tenantTools, WebhookToolStore webhooks,
                         EndpointPolicy endpoints, ToolsConfig config, ToolRequestCheck check, CallerTenant caller) {
        this.registry = registry;
        this.tenantTools = tenantTools;
        this.webhooks = webhooks;
        this.endpoints = endpoints;
        this.webhookConfig = config.webhook();
        this.check = check;
        this.caller = caller;
    }

    @GET
    @Transactional
    @Operation(summary = "The tenant's enabled tools in the OpenAI function-calling format "
            + "([{\"type\": \"function\", \"function\": {name, description, parameters}}]), sorted by name")
    public ArrayNode functions() {
        var functions = EventJson.MAPPER.createArrayNode();
        registry.enabledFor(caller.id()).forEach(t -> functions.add(t.definition().openAiFunction()));
        return functions;
    }

    @GET
    @Path("/{name}")
    @Transactional
    @Operation(summary = "One tool, enabled or not, with its parameter schema (and endpoint, for a webhook tool)")
    public ToolView tool(@PathParam("name") String name) {
        return view(find(name));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Add a webhook tool; the answer carries its signing secret, which is never shown again")
    @RequestBody(content = @Content(schema = @Schema(implementation = ToolRequestDoc.class)))
    @APIResponse(responseCode = "201", description = "added",
            content = @Content(schema = @Schema(implementation = CreatedTool.class)))
    @APIResponse(responseCode = "400", description = "bad name, description, schema or endpoint (problem+json)")
    @APIResponse(responseCode = "409", description = "the tenant already has a tool of that name (problem+json)")
    public Response add(JsonNode body) {
        var request = read(body);
        if (request.name() == null) {
            throw new BadRequestException("'name' must be 1-64 characters of A-Z, a-z, 0-9, _ and -");
        }
        if (registry.isBuiltIn(request.name())) {
            throw new ClientErrorException("'" + request.name() + "' is a built-in tool's name", Response.Status.CONFLICT);
        }
        var definition = definition(request, null);
        var created = webhooks.create(caller.id(), request.name(), definition).orElseThrow(() ->
                new ClientErrorException("there is already a tool named '" + request.name() + "'",
                        Response.Status.CONFLICT));
        var view = view(created);
        return Response.created(UriBuilder.fromPath("/api/v1/tools/{name}").build(created.name()))
                .entity(new CreatedTool(view.name(), view.description(), view.parameters(), view.enabled(), view.kind(),
                        view.webhook(), created.signingSecret()))
                .build();
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Replace a webhook tool's definition (description, parameters and webhook required; "
            + "enabled left out keeps its value); the signing secret stays")
    @RequestBody(content = @Content(schema = @Schema(implementation = ToolRequestDoc.class)))
    public ToolView replace(@PathParam("name") String name, JsonNode body) {
        var current = ownTool(name, "replaced");
        var request = read(body);
        sameName(name, request);
        return view(webhooks.update(caller.id(), name, definition(request, null)
                .withEnabled(request.enabled() == null ? current.enabled() : request.enabled())).orElseThrow());
    }

    @PATCH
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Change a tool: {\"enabled\": true|false} for any tool; description, parameters and webhook "
            + "fields for the tenant's own webhook tools")
    @RequestBody(content = @Content(schema = @Schema(implementation = ToolRequestDoc.class)))
    public ToolView change(@PathParam("name") String name, JsonNode body) {
        var tool = find(name);
        var request = read(body);
        sameName(name, request);
        if (!(tool instanceof WebhookTool webhook)) {
            if (request.changesDefinition()) {
                throw new BadRequestException("'" + name + "' is a built-in tool: only 'enabled' can be changed");
            }
            if (request.enabled() == null) {
                throw new BadRequestException("body must be {\"enabled\": true} or {\"enabled\": false}");
            }
            tenantTools.set(caller.id(), tool.name(), request.enabled());
            return view(tool);
        }
        if (!request.changesDefinition() && request.enabled() == null) {
            throw new BadRequestException("nothing to change: send enabled, description, parameters or webhook fields");
        }
        return view(webhooks.update(caller.id(), name, definition(request, webhook.spec())).orElseThrow());
    }

    @DELETE
    @Path("/{name}")
    @Transactional
    @Operation(summary = "Remove a webhook tool (built-in tools can only be disabled)")
    @APIResponse(responseCode = "204", description = "removed")
    public Response remove(@PathParam("name") String name) {
        ownTool(name, "removed (disable it with PATCH {\"enabled\": false})");
        webhooks.remove(caller.id(), name);
        return Response.noContent().build();
    }

    @POST
    @Path("/{name}/secret")
    @Transactional
    @Operation(summary = "Replace a webhook tool's signing secret; the new one is shown this once")
    public RotatedSecret rotateSecret(@PathParam("name") String name) {
        ownTool(name, "given a secret");
        return new RotatedSecret(name, webhooks.rotateSecret(caller.id(), name).orElseThrow());
    }

    /** The request merged over {@code current} (null: a new or replaced tool, whose required fields must be there). */
    private WebhookToolStore.Definition definition(ToolRequest request, WebhookToolSpec current) {
        boolean whole = current == null;
        String description = request.description() != null ? request.description() : whole ? null : current.description();
        if (description == null) {
            throw new BadRequestException("'description' must be 1-" + ToolRequest.MAX_DESCRIPTION + " characters");
        }
        JsonNode parameters = request.parameters() != null ? request.parameters() : whole ? null : current.parameters();
        if (parameters == null) {
            throw new BadRequestException("'parameters' (a JSON Schema of type object) is required");
        }
        schema("parameters", parameters, true);
        String url = request.url() != null ? request.url() : whole ? null : current.url();
        if (url == null) {
            throw new BadRequestException("'webhook.url' is required");
        }
        endpoints.refusal(url).ifPresent(reason -> {
            throw new BadRequestException("'webhook.url': " + reason);
        });
        int timeoutMs = request.timeoutMs() != null ? request.timeoutMs()
                : whole ? (int) webhookConfig.defaultTimeout().toMillis() : current.timeoutMs();
        boolean idempotent = request.idempotent() != null ? request.idempotent() : !whole && current.idempotent();
        JsonNode resultSchema = request.resultSchemaSet() || whole ? request.resultSchema() : current.resultSchema();
        if (resultSchema != null) {
            schema("webhook.resultSchema", resultSchema, false);
        }
        boolean enabled = request.enabled() != null ? request.enabled() : whole || current.enabled();
        return new WebhookToolStore.Definition(description, parameters, enabled, url, timeoutMs, idempotent,
                resultSchema);
    }

    /** The body's fields, checked against {@link ToolRequest}'s constraints. */
    private ToolRequest read(JsonNode body) {
        return check.valid(ToolRequest.parse(body));
    }

    private static void schema(String what, JsonNode schema, boolean objectSchema) {
        try {
            Schemas.checkTenantSchema(what, schema, objectSchema);
        } catch (Schemas.InvalidSchemaException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static void sameName(String name, ToolRequest request) {
        if (request.name() != null && !request.name().equals(name)) {
            throw new BadRequestException("a tool cannot be renamed; add a new one and remove this one");
        }
    }

    private Tool find(String name) {
        return registry.find(caller.id(), name).orElseThrow(() -> new NotFoundException("no tool named '" + name + "'"));
    }

    private WebhookToolSpec ownTool(String name, String action) {
        if (!(find(name) instanceof WebhookTool webhook)) {
            throw new BadRequestException("'" + name + "' is a built-in tool and cannot be " + action);
        }
        return webhook.spec();
    }

    private ToolView view(Tool tool) {
        if (tool instanceof WebhookTool webhook) {
            return view(webhook.spec());
        }
        var definition = tool.definition();
        return new ToolView(definition.name(), definition.description(), definition.parameters(),
                registry.enabled(caller.id(), tool), BUILT_IN, null);
    }

    private static ToolView view(WebhookToolSpec spec) {
        return new ToolView(spec.name(), spec.description(), spec.parameters(), spec.enabled(), WEBHOOK,
                new WebhookView(spec.url(), spec.timeoutMs(), spec.idempotent(), spec.resultSchema()));
    }
}
