package io.voicecoach.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lets {@code java -jar devstack/target/devstack-*.jar} run with the dependencies copied to {@code target/lib}.
 * <p>
 * The jar deliberately has no manifest {@code Class-Path}: in a reactor build the services' test JVMs get this very
 * jar on their classpath, and the JVM would then append every jar of {@code target/lib} to them too. Instead the
 * launcher, started from the bare jar, loads itself again in a class loader over the jar and {@code lib/}.
 */
final class LauncherClasspath {

    /** True when Kafka, PostgreSQL and Jackson are loadable, i.e. not started from the bare jar. */
    static boolean complete() {
        try {
            Class.forName("kafka.server.KafkaRaftServer", false, LauncherClasspath.class.getClassLoader());
            Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false,
                    LauncherClasspath.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Runs {@code mainClass.main(args)} in a class loader over this jar and the jars in {@code lib/} beside it. */
    static void relaunch(String mainClass, String[] args) throws Throwable {
        var jar = codeLocation();
        var lib = jar.getParent().resolve("lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("no " + lib + " beside " + jar.getFileName()
                    + "; build devstack with Maven (package) first");
        }
        var urls = new ArrayList<URL>();
        urls.add(url(jar));
        jarsIn(lib).forEach(p -> urls.add(url(p)));
        var loader = new URLClassLoader("voicecoach-launcher", urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        try {
            loader.loadClass(mainClass).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * The classpath of a child JVM that runs devstack classes (the Kafka broker): this JVM's devstack classpath,
     * absolute, plus the broker's logger from {@code kafka-lib/}, which only the child gets.
     */
    static String forChildProcess() {
        var entries = new ArrayList<String>();
        if (LauncherClasspath.class.getClassLoader() instanceof URLClassLoader loader) {
            for (URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (Exception e) {
                    entries.add(url.getPath());
                }
            }
        } else {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    entries.add(Path.of(entry).toAbsolutePath().toString());
                }
            }
        }
        // target/classes or target/devstack-*.jar -> target/kafka-lib
        var kafkaLib = codeLocation().getParent().resolve("kafka-lib");
        if (Files.isDirectory(kafkaLib)) {
            jarsIn(kafkaLib).forEach(p -> entries.add(p.toString()));
        }
        return String.join(File.pathSeparator, entries);
    }

    static Path codeLocation() {
        try {
            return Path.of(LauncherClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the devstack classes", e);
        }
    }

    private static List<Path> jarsIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private LauncherClasspath() {
    }
}
