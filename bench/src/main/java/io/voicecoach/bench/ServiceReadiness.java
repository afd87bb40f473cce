package io.voicecoach.bench;

import io.voicecoach.devstack.ManagedProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits for a service process started by a benchmark to answer 200 on {@code /q/health/ready}. */
public final class ServiceReadiness {

    /**
     * @return seconds until ready
     * @throws IllegalStateException with the tail of the service's log if it exits or is not ready within
     *                               {@code timeout} (the process is then stopped)
     */
    public static double await(ManagedProcess process, int port, Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        var http = HttpClient.newHttpClient();
        var ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (true) {
            if (!process.alive()) {
                throw new IllegalStateException(process.name() + " exited:\n" + process.tail(40));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - started) / 1e9;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() - started > timeout.toNanos()) {
                process.stop(Duration.ofSeconds(5));
                throw new IllegalStateException(process.name() + " not ready after " + timeout + ":\n"
                        + process.tail(40));
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    private ServiceReadiness() {
    }
}
