package io.voicecoach.analytics.metrics;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/** A session's conversation metrics; every definition is in the README ("Metrics"). Times in milliseconds. */
@RegisterForReflection
public record SessionMetrics(long durationMs, double audioMinutes, Map<String, Speaker> speakers,
                             Monologue longestMonologue, int repQuestions, int interruptions, Objections objections,
                             Sentiment sentiment, Prompts prompts, List<StageSpan> stages, Llm llm,
                             TranscriptionFailures transcriptionFailures) {

    /** @param utteranceId the utterance that triggered the change into this stage, if known */
    @RegisterForReflection
    public record StageSpan(String stage, String methodology, long startMs, long endMs, long durationMs,
                            String utteranceId) {
    }

    /** @param failed calls whose outcome was not {@code ok} (deadline, error, cancelled) */
    @RegisterForReflection
    public record Llm(int calls, int failed, long promptTokens, long completionTokens, long totalTokens,
                      double costUsd, Map<String, LlmPurpose> byPurpose) {
    }

    @RegisterForReflection
    public record LlmPurpose(int calls, long totalTokens, double costUsd) {
    }

    @RegisterForReflection
    public record TranscriptionFailures(int count, Map<String, Integer> byCode) {
    }

    @RegisterForReflection
    public record Speaker(long talkMs, Double shareOfTalk, Double shareOfCall, Double talkListenRatio,
                          long longestMonologueMs, int questions, int interruptionsMade, int timesInterrupted,
                          int words, Double wordsPerMinute, int fillerWords, Map<String, Integer> fillers) {
    }

    @RegisterForReflection
    public record Monologue(String track, long startMs, long endMs, long durationMs) {
    }

    @RegisterForReflection
    public record Objections(int raised, int addressed, Map<String, CategoryCount> byCategory, List<Objection> items) {
    }

    @RegisterForReflection
    public record CategoryCount(int raised, int addressed) {
    }

    /** @param responseMs from the end of the objection to the start of the rep's reply; null without a reply */
    @RegisterForReflection
    public record Objection(String utteranceId, String category, long atMs, Long responseMs, boolean addressed) {
    }

    @RegisterForReflection
    public record Sentiment(List<UtteranceSentiment> utterances, Map<String, Trend> trend) {
    }

    @RegisterForReflection
    public record UtteranceSentiment(String utteranceId, String track, long startMs, double score, String label) {
    }

    /** @param direction {@code improving}, {@code declining}, {@code steady}, or {@code unknown} */
    @RegisterForReflection
    public record Trend(Double firstHalf, Double secondHalf, Double change, String direction) {
    }

    @RegisterForReflection
    public record Prompts(int generated, int shown) {
    }
}
