package io.voicecoach.analytics.api;

import io.voicecoach.platform.security.CallerTenant;
import io.voicecoach.analytics.latency.SessionLatency;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Duration;
import java.time.Instant;

/** Tenant-wide views: aggregates, pipeline latency, CSV export. Without {@code from}, the last 30 days. */
@Path("/api/v1")
public class TenantResource {

    static final Duration DEFAULT_RANGE = Duration.ofDays(30);
    public static final String CSV = "text/csv";

    private final TenantAnalytics analytics;
    private final SessionExport export;
    private final CallerTenant caller;

    public TenantResource(TenantAnalytics analytics, SessionExport export, CallerTenant caller) {
        this.analytics = analytics;
        this.export = export;
        this.caller = caller;
    }

    @GET
    @Path("/aggregates/{groupBy}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Tenant aggregates per rep, per team, per UTC day or per ISO week",
            description = "groupBy: reps, teams (metadata 'team'), days or weeks (keyed by the week's Monday, UTC). "
                    + "Per group: sessions; "
                    + "repTalkShare = summed agent utterance time / summed utterance time of all tracks; objections = "
                    + "objection prompts, one per (utterance, category), also per category in objectionsByCategory; "
                    + "prompts = delivered prompts with both timestamps; avgPromptLatencyMs = their mean end-to-end "
                    + "latency (deliveredAt - receivedAt); audioMinutes = sum of the sessions' audioMinutes (duration x tracks "
                    + "transcribed from audio / 60000); llmTokens and llmCostUsd = sum over llm.usage events (prompt + "
                    + "completion tokens, cost in USD as reported); transcriptionFailures = transcript.failed events; "
                    + "agentSpeechMs, ttsChars, ttsCostUsd = the voice agent's speech (agent.speech.audio_done: audio "
                    + "heard, a reply cut by barge-in up to the cut; characters spoken, cost at the tenant's "
                    + "voicecoach.tts prices); "
                    + "outcomes = sessions per metadata 'outcome' (sessions without one not counted). Sessions selected "
                    + "by start time; default: the last 30 days. Filters: rep, team, outcome, objection, from, to.")
    public TenantAnalytics.Aggregates aggregates(
            @PathParam("groupBy") @Parameter(description = "reps, teams, days or weeks") String groupBy,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("rep") String rep,
            @QueryParam("team") String team, @QueryParam("outcome") String outcome,
            @QueryParam("objection") String objection) {
        var by = switch (groupBy) {
            case "reps" -> TenantAnalytics.GroupBy.REP;
            case "teams" -> TenantAnalytics.GroupBy.TEAM;
            case "days" -> TenantAnalytics.GroupBy.DAY;
            case "weeks" -> TenantAnalytics.GroupBy.WEEK;
            default -> throw new BadRequestException("groupBy must be reps, teams, days or weeks");
        };
        return analytics.aggregates(caller.id(), range(rep, team, outcome, from, to, objection), by);
    }

    @GET
    @Path("/latency")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Pipeline latency percentiles per hop over the tenant's sessions",
            description = "Per hop {count, p50, p95, max} in whole ms (each sample floored to the millisecond), "
                    + "nearest-rank and exact (no buckets), over every suggestion of the sessions "
                    + "started in the range (default: the last 30 days): transcriptToSuggestionMs = suggestedAt - "
                    + "transcriptAt, suggestionToClientMs = deliveredAt - suggestedAt, endToEndMs = deliveredAt - "
                    + "receivedAt.")
    public SessionLatency latency(@QueryParam("from") String from, @QueryParam("to") String to,
                                  @QueryParam("rep") String rep, @QueryParam("team") String team,
                                  @QueryParam("outcome") String outcome) {
        return analytics.latency(caller.id(), range(rep, team, outcome, from, to, null));
    }

    @GET
    @Path("/export/sessions")
    @Produces(CSV)
    @Operation(summary = "The tenant's sessions as CSV",
            description = "Same filters as GET /api/v1/sessions, all matching sessions (no pagination, at most "
                    + "voicecoach.export.max-rows), latest first. Columns: " + SessionExport.HEADER)
    public Response export(@QueryParam("rep") String rep, @QueryParam("team") String team,
                           @QueryParam("outcome") String outcome, @QueryParam("from") String from,
                           @QueryParam("to") String to, @QueryParam("objection") String objection) {
        return Response.ok(export.csv(caller.id(), SessionFilter.parse(rep, team, outcome, from, to, objection)),
                        CSV + "; charset=UTF-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"sessions.csv\"")
                .build();
    }

    private static SessionFilter range(String rep, String team, String outcome, String from, String to,
                                       String objection) {
        return SessionFilter.parse(rep, team, outcome, from, to, objection).withDefaultRange(Instant.now().minus(DEFAULT_RANGE), null);
    }
}
