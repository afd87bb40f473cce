package io.voicecoach.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1} in a PKCS#12 key store, made with the JDK's
 * {@code keytool} so the local run can serve HTTPS/WSS without openssl. For development only: nothing trusts it.
 */
public final class SelfSignedKeyStore {

    public static final String PASSWORD = "voicecoach-local";
    public static final String ALIAS = "gateway";
    private static final int VALID_DAYS = 30;

    /** Creates {@code file} unless it exists; returns it. */
    public static Path ensure(Path file) {
        if (Files.isRegularFile(file)) {
            return file;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            var keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            var command = List.of(keytool, "-genkeypair", "-keystore", file.toString(), "-storetype", "PKCS12",
                    "-storepass", PASSWORD, "-keypass", PASSWORD, "-alias", ALIAS, "-keyalg", "EC",
                    "-groupname", "secp256r1", "-validity", String.valueOf(VALID_DAYS),
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1");
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !Files.isRegularFile(file)) {
                throw new IllegalStateException("keytool could not create " + file + ": " + output.strip());
            }
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("keytool could not create " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + file, e);
        }
    }

    private SelfSignedKeyStore() {
    }
}
