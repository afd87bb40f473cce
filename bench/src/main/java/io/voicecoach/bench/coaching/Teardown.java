package io.voicecoach.bench.coaching;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes what the benchmark started, newest first, once: at the end of {@code main} or, if the JVM is stopped by a
 * signal ({@code timeout}, Ctrl-C), from a shutdown hook, so no service, database or broker outlives the run.
 */
final class Teardown implements AutoCloseable {

    private record Step(String name, AutoCloseable closeable) {
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    private boolean closed;

    Teardown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "hop-bench-teardown"));
    }

    synchronized <T extends AutoCloseable> T add(String name, T closeable) {
        if (closed) {
            // stopped by a signal while this was starting: stop it too
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("could not stop " + name + ": " + e);
            }
            throw new IllegalStateException("stopped while starting " + name);
        }
        steps.push(new Step(name, closeable));
        return closeable;
    }

    @Override
    public synchronized void close() {
        closed = true;
        while (!steps.isEmpty()) {
            var step = steps.pop();
            try {
                step.closeable().close();
            } catch (Exception e) {
                System.err.println("could not stop " + step.name() + ": " + e);
            }
        }
    }
}
