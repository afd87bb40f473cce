package io.voicecoach.coaching.llm;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams chat completions from each tenant's OpenAI-compatible endpoint through a Quarkus REST client built for
 * that tenant (base URL and key differ per tenant). Cancelling the returned stream closes the HTTP connection, so a
 * missed deadline or a barge-in stops the server's work too. No retries here: callers decide
 * ({@link Retries} outside the live path).
 */
@ApplicationScoped
public class LlmClient {

    private static final Logger LOG = Logger.getLogger(LlmClient.class);

    private final LlmConfig config;
    private final LlmMetrics metrics;
    private final LlmPool pool;
    private final Map<String, ChatCompletionsApi> apis = new ConcurrentHashMap<>();

    /**
     * Which HTTP client a call uses. The live lane's read timeout is just past the live deadline: a server that
     * accepts and never sends headers cannot be cancelled before it answers, so its connection is dropped by that
     * timeout instead of lingering for {@code read-timeout}.
     */
    public enum Lane { LIVE, BACKGROUND }

    public LlmClient(LlmConfig config, LlmMetrics metrics, LlmPool pool) {
        this.config = config;
        this.metrics = metrics;
        this.pool = pool;
    }

    /** The tenant's LLM, when one is enabled with a base URL. */
    public Optional<TenantLlm> tenant(String tenantId) {
        var tenant = config.tenants().get(tenantId);
        if (tenant == null || !tenant.enabled() || tenant.baseUrl().filter(u -> !u.isBlank()).isEmpty()) {
            return Optional.empty();
        }
        var live = new TenantLlm.Price(tenant.pricePer1kPrompt(), tenant.pricePer1kCompletion());
        var summary = new TenantLlm.Price(tenant.summaryPricePer1kPrompt().orElse(live.prompt()),
                tenant.summaryPricePer1kCompletion().orElse(live.completion()));
        return Optional.of(new TenantLlm(tenantId, tenant.baseUrl().get(), tenant.liveModel(), tenant.summaryModel(),
                live, summary));
    }

    /**
     * Text deltas as they arrive, then one {@link ChatEvent.Completed}. Fails with {@link LlmException}; the stream
     * completes right after {@code [DONE]} even if the server keeps the connection open. Each subscription holds a
     * slot of the {@link LlmPool} until it ends (completed, failed or cancelled), and fails at once with
     * {@link LlmRefusedException} when none is free for the tenant.
     */
    public Multi<ChatEvent> stream(TenantLlm tenant, ChatRequest request) {
        return stream(tenant, request, Lane.BACKGROUND);
    }

    public Multi<ChatEvent> stream(TenantLlm tenant, ChatRequest request, Lane lane) {
        String body = LlmJson.write(request);
        return Multi.createFrom().emitter(emitter -> {
            LlmPool.Permit permit;
            try {
                permit = pool.admit(tenant.tenantId());
            } catch (LlmRefusedException refused) {
                metrics.refused(refused.code());
                emitter.fail(refused);
                return;
            }
            var parser = new ChatStreamParser(request.model());
            var upstream = new AtomicReference<Cancellable>();
            emitter.onTermination(() -> {
                permit.release();
                var subscription = upstream.get();
                if (subscription != null) {
                    subscription.cancel();
                }
            });
            upstream.set(api(tenant, lane).stream(body).subscribe().with(data -> {
                if (emitter.isCancelled() || parser.done()) {
                    return;
                }
                try {
                    parser.accept(data).ifPresent(text -> emitter.emit(new ChatEvent.TextDelta(text)));
                    if (parser.done()) {
                        finish(parser, emitter);
                    }
                } catch (LlmException e) {
                    emitter.fail(e);
                }
            }, failure -> emitter.fail(classify(failure)), () -> {
                if (!parser.done()) {
                    finish(parser, emitter);
                }
            }));
        });
    }

    /** The whole answer (the stream collected). */
    public Uni<ChatResult> complete(TenantLlm tenant, ChatRequest request) {
        return complete(tenant, request, Lane.BACKGROUND);
    }

    public Uni<ChatResult> complete(TenantLlm tenant, ChatRequest request, Lane lane) {
        return stream(tenant, request, lane)
                .filter(ChatEvent.Completed.class::isInstance)
                .map(event -> ((ChatEvent.Completed) event).result())
                .toUni();
    }

    private void finish(ChatStreamParser parser, io.smallrye.mutiny.subscription.MultiEmitter<? super ChatEvent> emitter) {
        try {
            var result = parser.finish();
            if (result.skippedChunks() > 0) {
                metrics.skippedChunks(result.skippedChunks());
            }
            emitter.emit(new ChatEvent.Completed(result));
            emitter.complete();
        } catch (LlmException e) {
            emitter.fail(e);
        }
    }

    private ChatCompletionsApi api(TenantLlm tenant, Lane lane) {
        return apis.computeIfAbsent(tenant.tenantId() + "/" + lane, clientKey -> {
            var settings = config.tenants().get(tenant.tenantId());
            long readTimeout = lane == Lane.LIVE ? config.liveDeadline().plusMillis(500).toMillis() : config.readTimeout().toMillis();
            var builder = QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(tenant.baseUrl().replaceAll("/+$", "")))
                    .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .readTimeout(readTimeout, TimeUnit.MILLISECONDS)
                    .register(new LlmErrorMapper());
            settings.apiKey().filter(k -> !k.isBlank())
                    .ifPresent(key -> builder.register(new LlmKeyFilter(settings.apiKeyHeader(), key)));
            LOG.infof("LLM for tenant %s (%s lane): %s (live %s, summary %s)", tenant.tenantId(), lane, tenant.baseUrl(),
                    tenant.liveModel(), tenant.summaryModel());
            return builder.build(ChatCompletionsApi.class);
        });
    }

    public static LlmException classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LlmException e) {
                return e;
            }
            if (t instanceof TimeoutException || t instanceof io.netty.handler.timeout.TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return new LlmException(LlmException.Kind.TIMEOUT, 0, "no answer in time: " + t.getMessage(), null, failure);
            }
            if (t instanceof IOException || t.getClass().getName().startsWith("io.netty.channel")
                    || t.getClass().getName().startsWith("io.vertx.core.http")) {
                return new LlmException(LlmException.Kind.UNREACHABLE, 0, "connection failed: " + t, null, failure);
            }
        }
        return new LlmException(LlmException.Kind.UNREACHABLE, 0, "call failed: " + failure, null, failure);
    }
}
