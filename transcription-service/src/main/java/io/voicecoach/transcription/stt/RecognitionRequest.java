package io.voicecoach.transcription.stt;

import java.util.List;

/**
 * What an engine knows about the utterance it is asked to recognise.
 *
 * @param phrases phrases to favour (product and competitor names, objection phrases): tenant list plus session list
 */
public record RecognitionRequest(String tenantId, String sessionId, String track, String utteranceId, String language,
                                 List<String> phrases) {
}
