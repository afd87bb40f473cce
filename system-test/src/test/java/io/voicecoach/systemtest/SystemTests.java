package io.voicecoach.systemtest;

import io.voicecoach.devstack.Service;

import java.nio.file.Files;
import java.nio.file.Path;

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

    private SystemTests() {
    }
}
