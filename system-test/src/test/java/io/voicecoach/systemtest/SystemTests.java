package io.voicecoach.systemtest;

import io.voicecoach.devstack.Service;
import io.voicecoach.devstack.Suite;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Where the packaged services are, for the system tests. */
final class SystemTests {

    /** The folder holding the service modules: {@code e2e.modules-dir}, else the nearest parent with them. */
    static Path modulesDir() {
        String configured = System.getProperty("e2e.modules-dir");
        if (configured != null && !configured.isBlank() && !configured.startsWith("${")) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(Service.GATEWAY.module()))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the service modules above " + Path.of("").toAbsolutePath());
    }

    /** The modules folder, failing the test class when a packaged service is missing there. */
    static Path packagedServices() {
        var root = modulesDir();
        var missing = Suite.missingJars(root);
        if (!missing.isEmpty()) {
            fail("this test runs the packaged services, but these are missing: " + missing
                    + ". Package them first (./mvnw -B verify builds them before this module).");
        }
        return root;
    }

    /**
     * Stops the suite (after printing the tail of each service's log when a test failed), then what it ran on, in
     * the order given; nulls (never started) are skipped.
     */
    static void stopAll(String logPrefix, boolean failed, Suite suite, AutoCloseable... infrastructure) {
        if (suite != null) {
            if (failed) {
                System.out.println(logPrefix + ": a test failed; the tail of each service log follows");
                System.out.println(suite.logTails(60));
            }
            suite.stop();
        }
        for (var closeable : infrastructure) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.out.println(logPrefix + ": closing " + closeable + " failed: " + e);
                }
            }
        }
    }

    /** Remembers whether a test of the class failed (or its set-up did), so the tear-down can print the logs. */
    static final class Failures implements TestWatcher {
        private volatile boolean any;

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            any = true;
        }

        void failed() {
            any = true;
        }

        boolean any() {
            return any;
        }
    }

    private SystemTests() {
    }
}
