package io.voicecoach.tools.webhook;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.voicecoach.tools.ToolsConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One webhook request and its whole answer within one deadline: connecting, the headers and every byte of the body
 * (an endpoint that trickles its body is cut at the deadline, not when it finishes), a body longer than the limit is
 * cut there too. Vert.x's client, because the JDK's request timeout stops at the headers.
 */
@ApplicationScoped
public class WebhookHttp {

    /** An answer: a 2xx body, or for another status only the status and {@code Retry-After}. */
    public record Response(int status, Optional<String> retryAfter, byte[] body, boolean tooLarge) {
    }

    private final HttpClient client;
    private final int maxBodyBytes;

    public WebhookHttp(Vertx vertx, ToolsConfig config) {
        var webhook = config.webhook();
        this.maxBodyBytes = webhook.maxResponseBytes();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout((int) webhook.connectTimeout().toMillis())
                        .setForceSni(true)
                        .setVerifyHost(true)
                        .setTryUseCompression(false),
                new PoolOptions().setHttp1MaxSize(64));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * @param address the address to connect to, already checked (no second lookup); the URI's host is still the one
     *                sent in {@code Host}, for SNI and verified against the server's certificate
     * @param headers request headers
     * @throws HttpTimeoutException when the whole answer did not arrive within {@code timeout}
     * @throws IOException          when the endpoint could not be reached or broke the connection
     */
    public Response post(URI uri, InetAddress address, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        var options = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(port)
                .setSsl(https).setURI(path).setFollowRedirects(false)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)));
        headers.forEach(options::addHeader);

        var answer = new CompletableFuture<Response>();
        var sent = new AtomicReference<HttpClientRequest>();
        client.request(options).onComplete(opened -> {
            if (opened.failed()) {
                answer.completeExceptionally(opened.cause());
                return;
            }
            var request = opened.result();
            request.exceptionHandler(answer::completeExceptionally);
            sent.set(request);
            if (answer.isDone()) { // the deadline passed while connecting
                request.reset();
                return;
            }
            request.send(Buffer.buffer(body)).onComplete(responded -> {
                if (responded.failed()) {
                    answer.completeExceptionally(responded.cause());
                    return;
                }
                var response = responded.result();
                var retryAfter = Optional.ofNullable(response.getHeader("Retry-After"));
                response.exceptionHandler(answer::completeExceptionally); // after a reset: already answered
                if (response.statusCode() < 200 || response.statusCode() >= 300) {
                    answer.complete(new Response(response.statusCode(), retryAfter, new byte[0], false));
                    request.reset();
                    return;
                }
                var received = Buffer.buffer();
                response.handler(chunk -> {
                    received.appendBuffer(chunk);
                    if (received.length() > maxBodyBytes) {
                        answer.complete(new Response(response.statusCode(), retryAfter, new byte[0], true));
                        request.reset();
                    }
                });
                response.endHandler(end -> answer.complete(
                        new Response(response.statusCode(), retryAfter, received.getBytes(), false)));
            });
        });
        try {
            return answer.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            var request = sent.get();
            if (request != null) {
                request.reset();
            }
            answer.cancel(false);
            throw new HttpTimeoutException("no whole answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }
}
