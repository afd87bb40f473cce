package io.voicecoach.platform.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.platform.security.CallerTenant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/** A tenant route, an internal route and a route no policy names, for the platform's own tests. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class TestResources {

    @RegisterForReflection
    public record Item(@NotBlank String name, @Min(1) @Max(5) int priority) {
    }

    @RegisterForReflection
    public record Order(@NotBlank @Size(max = 10) String title, @NotEmpty List<@Valid @NotNull Item> items,
                        @JsonProperty("due_in_days") @Min(1) Integer dueInDays) {
    }

    private final CallerTenant caller;

    public TestResources(CallerTenant caller) {
        this.caller = caller;
    }

    @GET
    @Path("/api/v1/whoami")
    public Map<String, String> whoami() {
        return Map.of("tenant", caller.id());
    }

    @POST
    @Path("/api/v1/orders")
    @Consumes(MediaType.APPLICATION_JSON)
    public Order order(@Valid @NotNull Order order) {
        return order;
    }

    @GET
    @Path("/api/v1/search")
    public List<String> search(@QueryParam("q") @NotBlank String q, @QueryParam("k") @Min(1) @Max(10) int k) {
        return List.of(q);
    }

    @GET
    @Path("/internal/v1/ping")
    public Map<String, String> ping() {
        return Map.of("pong", "yes");
    }

    @GET
    @Path("/unlisted")
    public Map<String, String> unlisted() {
        return Map.of("open", "yes");
    }
}
