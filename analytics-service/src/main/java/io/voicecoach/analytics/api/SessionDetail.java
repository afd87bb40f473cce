package io.voicecoach.analytics.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.analytics.latency.SessionLatency;
import io.voicecoach.analytics.metrics.SessionMetrics;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A session with everything analytics holds about it. */
@RegisterForReflection
public record SessionDetail(String sessionId, String tenantId, String callId, String repId,
                            @Schema(description = "client metadata 'team' (session.started, merged with "
                                    + "session.updated)") String team,
                            @Schema(description = "client metadata 'outcome' (e.g. won, lost, follow_up), usually "
                                    + "set by a session.updated near the end of the call") String outcome,
                            @Schema(description = "all client metadata: session.started's, each session.updated's "
                                    + "merged over it (a key given again replaces its value)") JsonNode metadata,
                            String mode, Instant startedAt, Instant endedAt, String endReason, Long durationMs,
                            List<UtteranceView> utterances, List<SuggestionView> suggestions,
                            @Schema(description = "Tool calls of the session, by requestedAt, with outcome "
                                    + "(ok, error, pending) and latency (toolLatencyMs reported by the tool service, "
                                    + "roundTripMs = result published - call published)")
                            List<ToolCallView> toolCalls,
                            @Schema(description = "LLM calls made for the session (llm.usage events), in time order: "
                                    + "purpose (coaching, agent, summary), model, tokens, costUsd as reported, "
                                    + "latencyMs, outcome (ok, deadline, error, cancelled)")
                            List<ActivityViews.LlmCallView> llmCalls,
                            @Schema(description = "utterances the speech-to-text engine could not transcribe "
                                    + "(transcript.failed events): code engine_timeout, engine_error, "
                                    + "engine_unavailable or audio_invalid")
                            List<ActivityViews.FailureView> transcriptionFailures,
                            @Schema(description = "post-call summary (coaching.summary): text, nextSteps, model; "
                                    + "null until it arrives")
                            ActivityViews.SummaryView summary,
                            @Schema(description = "compliance checklist (coaching.compliance_checklist), the latest "
                                    + "coaching sent: items [{ruleId, kind must_say|must_not_say, status "
                                    + "pending|said|missed|kept|broken, message, withinMs, utteranceId}], closed = the "
                                    + "end-of-call one; null when the tenant's playbook has no compliance rules")
                            JsonNode compliance,
                            @Schema(description = "Per hop {count, p50, p95, max} in ms, nearest-rank: "
                                    + "transcriptToSuggestionMs = suggestedAt - transcriptAt, suggestionToClientMs = "
                                    + "deliveredAt - suggestedAt, endToEndMs = deliveredAt - receivedAt")
                            SessionLatency latency,
                            @Schema(description = SessionMetricsDocs.METRICS)
                            SessionMetrics metrics,
                            @Schema(description = "The voice agent's speech (agent.speech): talkMs (seconds) of audio "
                                    + "the caller heard, a reply cut by barge-in up to the cut (item.truncated); "
                                    + "characters spoken; costUsd at the tenant's text-to-speech price for each item's engine "
                                    + "(voicecoach.tts.*, applied at ingestion); items spoken; failures (items the "
                                    + "engine gave up on)")
                            ActivityViews.AgentSpeechView agentSpeech) {
}
