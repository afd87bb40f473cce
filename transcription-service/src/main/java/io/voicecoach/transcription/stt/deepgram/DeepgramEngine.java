package io.voicecoach.transcription.stt.deepgram;

import io.voicecoach.transcription.stt.RecognitionRequest;
import io.voicecoach.transcription.stt.Recognizer;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttEngine;
import io.voicecoach.transcription.stt.SttException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Deepgram's streaming API: one WebSocket per utterance to {@code {url}?encoding=linear16&sample_rate=16000&channels=1
 * &interim_results=true&endpointing=<ms>&keywords=...}, {@code Authorization: Token <key>}. Enabled when
 * {@code voicecoach.stt.deepgram.api-key} is set.
 */
@ApplicationScoped
public class DeepgramEngine implements SttEngine {

    public static final String NAME = "deepgram";

    private final SttConfig.Deepgram config;
    private final HttpClient http;

    @Inject
    public DeepgramEngine(SttConfig config) {
        this(config.deepgram());
    }

    DeepgramEngine(SttConfig.Deepgram config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean external() {
        return true;
    }

    @Override
    public boolean enabled() {
        return config.apiKey().filter(k -> !k.isBlank()).isPresent();
    }

    @Override
    public Recognizer open(RecognitionRequest request) {
        String key = config.apiKey().orElseThrow(() -> new SttException("engine_unavailable", "no voicecoach.stt.deepgram.api-key"));
        URI uri = uri(request);
        var recognizer = new DeepgramRecognizer(config.responseTimeout());
        try {
            var socket = http.newWebSocketBuilder().header("Authorization", "Token " + key)
                    .connectTimeout(config.connectTimeout())
                    .buildAsync(uri, recognizer.listener())
                    .get(config.connectTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            recognizer.connected(socket);
            return recognizer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SttException("engine_error", "interrupted while connecting to Deepgram");
        } catch (TimeoutException e) {
            throw new SttException("engine_timeout", "no WebSocket handshake from " + config.url() + " within " + config.connectTimeout());
        } catch (ExecutionException e) {
            throw handshakeFailure(e.getCause());
        }
    }

    /** The query Deepgram documents for raw PCM16 mono 16 kHz with interim results. */
    URI uri(RecognitionRequest request) {
        var query = new StringBuilder("encoding=linear16&sample_rate=16000&channels=1&interim_results=true")
                .append("&endpointing=").append(config.endpointing().toMillis());
        config.model().ifPresent(model -> query.append("&model=").append(encode(model)));
        if (request.language() != null && !request.language().isBlank()) {
            query.append("&language=").append(encode(request.language()));
        }
        for (String phrase : request.phrases()) {
            query.append("&keywords=").append(encode(phrase + ":" + config.keywordBoost()));
        }
        return URI.create(config.url() + "?" + query);
    }

    private SttException handshakeFailure(Throwable cause) {
        if (cause instanceof WebSocketHandshakeException refused) {
            int status = refused.getResponse().statusCode();
            String body = refused.getResponse().body() instanceof String s ? s : "";
            String code = status == 401 || status == 403 ? "engine_unauthorized" : status == 429 ? "engine_overloaded"
                    : status >= 500 ? "engine_error" : "engine_rejected";
            return new SttException(code, "Deepgram refused the WebSocket with " + status + " "
                    + refused.getResponse().headers().firstValue("dg-error").orElse(body), cause);
        }
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return new SttException("engine_timeout", "cannot connect to " + config.url() + " within " + config.connectTimeout(), cause);
        }
        return new SttException("engine_unreachable", "cannot reach " + config.url() + ": " + cause, cause);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @PreDestroy
    void stop() {
        http.close();
    }
}
