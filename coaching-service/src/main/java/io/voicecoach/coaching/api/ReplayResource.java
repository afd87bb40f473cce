package io.voicecoach.coaching.api;

import io.smallrye.common.annotation.RunOnVirtualThread;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.replay.ReplayReport;
import io.voicecoach.coaching.replay.ReplayRequest;
import io.voicecoach.coaching.replay.Replays;
import io.voicecoach.platform.problem.Problem;
import io.voicecoach.platform.problem.ProblemException;
import io.voicecoach.platform.security.CallerTenant;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays of the calling tenant's recorded calls through one of its playbook versions, in shadow mode (nothing is
 * published). The tenant comes from the API key; only its own events are read.
 */
@Path("/api/v1/replays")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "replay")
public class ReplayResource {

    private final Replays replays;
    private final CallerTenant caller;
    private final Duration maxRange;

    public ReplayResource(Replays replays, CallerTenant caller, CoachingConfig config) {
        this.replays = replays;
        this.caller = caller;
        this.maxRange = config.replay().maxRange();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    @Operation(summary = "Re-run one session, or the sessions of a time range, through a playbook version and report "
            + "the suggestions it adds, removes or re-categorises; 400 problem+json naming the field when the request "
            + "names neither a session nor a range, or a range longer than voicecoach.coaching.replay.max-range; "
            + "404 when the tenant has no such version. With llm: {model}, each customer utterance is also asked of "
            + "the tenant's LLM with that model and its advice compared with the LLM advice shown live (400 naming "
            + "$.llm when the tenant has no LLM)")
    public ReplayReport replay(ReplayRequest request) {
        String tenant = caller.id();
        check(request);
        try {
            return replays.run(tenant, request);
        } catch (Replays.UnknownVersionException e) {
            throw new ProblemException(Problem.of(Response.Status.NOT_FOUND, "playbook_version_not_found",
                    e.getMessage()));
        } catch (Replays.NoLlmException e) {
            throw new ProblemException(Problem.of(Response.Status.BAD_REQUEST, "invalid_replay",
                    "the replay request is not valid", List.of(new Problem.FieldError("$.llm", e.getMessage()))));
        }
    }

    private void check(ReplayRequest request) {
        var errors = new ArrayList<Problem.FieldError>();
        if (request == null) {
            errors.add(new Problem.FieldError("$", "a JSON object is required"));
        } else {
            boolean session = request.sessionId() != null && !request.sessionId().isBlank();
            if (!session && (request.from() == null || request.to() == null)) {
                errors.add(new Problem.FieldError("$.sessionId", "name a session, or a range with from and to"));
            }
            if (request.from() != null && request.to() != null) {
                if (!request.to().isAfter(request.from())) {
                    errors.add(new Problem.FieldError("$.to", "must be after from"));
                } else if (Duration.between(request.from(), request.to()).compareTo(maxRange) > 0) {
                    errors.add(new Problem.FieldError("$.to", "the range may be at most " + maxRange));
                }
            }
            if (request.playbookVersion() != null && request.playbookVersion() < 0) {
                errors.add(new Problem.FieldError("$.playbookVersion", "must be 0 or more"));
            }
            if (request.llm() != null && request.llm().model() != null && request.llm().model().isBlank()) {
                errors.add(new Problem.FieldError("$.llm.model", "must not be blank (leave it out for the live model)"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.of(Response.Status.BAD_REQUEST, "invalid_replay",
                    "the replay request is not valid", errors));
        }
    }
}
