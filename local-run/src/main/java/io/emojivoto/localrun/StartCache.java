package io.emojivoto.localrun;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * What makes a Java part start in half the time: a class cache from one training run, Java 25's AOT
 * cache ({@code -XX:AOTCacheOutput}: classes loaded and linked ahead of time),
 * or on 17 to 24 a dynamic CDS archive ({@code -XX:ArchiveClassesAtExit}). A Spring Boot jar is also
 * extracted first, where it can extract itself (the JVM then reads plain jars rather than jars nested
 * in a jar), and its training run stops by itself once the application context is ready
 * ({@code -Dspring.context.exit=onRefresh}); a part that is not a Spring application (the proxy) is
 * trained by running it until its readiness URL answers and stopping it with SIGTERM: the JVM writes
 * the cache as it exits.
 *
 * <p>Made once per part, JDK and build, under {@code target/start-cache/<part>/java<N>/}, and made
 * again by itself when the jar, the JDK or the JVM flags change (its {@code key} file records them).
 * Nothing here ever stops a start: a part whose cache could not be made starts from its jar as built,
 * and a cache that is corrupt or does not match is ignored by the JVM (Java 25 says so in the part's log).
 */
public final class StartCache {

    private static final long TRAINING_LIMIT_SECONDS = 180;

    private final String part;
    private final Path jar;
    private final List<String> partFlags;
    private final Map<String, String> env;
    private final Jdk jdk;
    private final Path dir;
    private final boolean bootJar;
    private final String readyUrl; // a part that is not a Spring application: when its training run may stop

    private StartCache(String part, Path jar, List<String> jvmArgs, Map<String, String> env, Jdk jdk, Path dir, String readyUrl) {
        this.part = part;
        this.jar = jar.toAbsolutePath();
        this.partFlags = List.copyOf(jvmArgs);
        this.env = Map.copyOf(env);
        this.jdk = jdk;
        this.dir = dir;
        this.bootJar = isBootJar(jar);
        this.readyUrl = readyUrl;
    }

    /** The cache of a Spring application's start, kept under the project's {@code target/start-cache}. */
    public static StartCache of(String part, Path jar, List<String> jvmArgs, Map<String, String> env, Jdk jdk) {
        return in(ProjectPaths.root().resolve("target").resolve("start-cache"), part, jar, jvmArgs, env, jdk);
    }

    /** The same, kept under {@code root} (a test's own folder). */
    public static StartCache in(Path root, String part, Path jar, List<String> jvmArgs, Map<String, String> env, Jdk jdk) {
        return new StartCache(part, jar, jvmArgs, env, jdk, folder(root, part, jdk), null);
    }

    /**
     * The cache of another Java part's start: its training run is the part itself, started with
     * {@code env} (whose ports must be free) and stopped once {@code readyUrl} answers 200.
     */
    public static StartCache trainedUntilReady(String part, Path jar, List<String> jvmArgs, Map<String, String> env, Jdk jdk,
            String readyUrl) {
        return new StartCache(part, jar, jvmArgs, env, jdk, folder(ProjectPaths.root().resolve("target").resolve("start-cache"), part, jdk),
                readyUrl);
    }

    private static Path folder(Path root, String part, Jdk jdk) {
        return root.resolve(part).resolve("java" + jdk.feature()).toAbsolutePath();
    }

    /** Whether a jar is a Spring Boot executable jar (the kind that can be extracted). */
    private static boolean isBootJar(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() != null && file.getManifest().getMainAttributes().getValue("Spring-Boot-Version") != null;
        } catch (IOException e) {
            return false;
        }
    }

    public String part() {
        return part;
    }

    /**
     * The part's command: the extracted jar with its cache when both are ready and match, else the jar
     * as built. Either way, with the JVM flags given and the JDK chosen for the parts.
     */
    public List<String> command() {
        if (!isReady()) {
            return jdk.javaCommand(partFlags, jar);
        }
        List<String> flags = new ArrayList<>(partFlags);
        if (Files.isRegularFile(cacheFile())) {
            flags.add(jdk.hasAotCache() ? "-XX:AOTCache=" + cacheFile() : "-XX:SharedArchiveFile=" + cacheFile());
        }
        return jdk.javaCommand(flags, runnableJar());
    }

    /** Whether what the cache holds was made from this jar, by this JDK, for these flags. */
    public boolean isReady() {
        try {
            return Files.isRegularFile(runnableJar()) && Files.readString(keyFile()).equals(key());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes what is missing or stale: extracts the jar, then runs the training run once. Returns false
     * when it could not (the reason is in {@code training.log} beside the cache); the part then starts
     * from its jar as built. Two launchers preparing the same part take turns (a file lock).
     */
    public boolean prepare() {
        try {
            Files.createDirectories(dir.getParent());
            try (FileChannel lockFile = FileChannel.open(dir.resolveSibling(dir.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockFile.lock()) {
                if (isReady()) {
                    return true;
                }
                Directories.deleteTree(dir);
                Files.createDirectories(dir);
                if (bootJar && run(List.of(jdk.java().toString(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
                        extractedJar().getParent().toString()), "extract.log", null) != 0) {
                    Directories.deleteTree(extractedJar().getParent()); // a jar without Spring (the proxy's) cannot extract itself: it trains as built
                }
                List<String> training = new ArrayList<>(partFlags);
                training.add(jdk.hasAotCache() ? "-XX:AOTCacheOutput=" + cacheFile() : "-XX:ArchiveClassesAtExit=" + cacheFile());
                training.addAll(trainingFlags());
                if (readyUrl == null) {
                    training.add("-Dspring.context.exit=onRefresh"); // load every class the start loads, then stop
                }
                int status = run(jdk.javaCommand(training, runnableJar()), "training.log", readyUrl);
                if ((readyUrl == null && status != 0) || !Files.isRegularFile(cacheFile())) {
                    Files.deleteIfExists(cacheFile());
                    if (!Files.isRegularFile(extractedJar())) {
                        return false;
                    } // an extracted jar alone still starts faster
                }
                Files.writeString(keyFile(), key());
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * What the training run adds to the part's flags: C1 only. Java 25's cache also keeps the training
     * run's method profiles (JEP 515), and replaying a start-up's profiles made every start compile
     * start-up code with C2 (measured on emoji-svc: 4.0 s of CPU to healthy instead of 2.6 s, and 20 MB
     * more memory). The part itself runs with the full JIT.
     */
    private static List<String> trainingFlags() {
        return List.of("-XX:TieredStopAtLevel=1");
    }

    /**
     * Prepares each cache that is not ready, {@code atOnce} at a time (one per core: each training run
     * is a JVM starting up). Returns the caches that could not be made; their parts start from their jars.
     */
    public static List<StartCache> prepareAll(List<StartCache> caches, int atOnce) {
        ExecutorService pool = Executors.newFixedThreadPool(atOnce);
        try {
            List<Future<Boolean>> done = caches.stream().map(cache -> pool.submit(cache::prepare)).toList();
            List<StartCache> failed = new ArrayList<>();
            for (int i = 0; i < caches.size(); i++) {
                if (!done.get(i).get()) {
                    failed.add(caches.get(i));
                }
            }
            return failed;
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing the start caches failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the start caches", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** What the cache depends on: the jar as built, the JDK, the flags the part starts with and how it was trained. */
    private String key() throws IOException {
        return "jar=" + jar + " size=" + Files.size(jar) + " modified=" + Files.getLastModifiedTime(jar).toMillis() + "\n"
                + "jdk=" + jdk.home() + " version=" + jdk.version() + "\n"
                + "flags=" + String.join(" ", jdk.flags(partFlags)) + "\n"
                + "training=" + String.join(" ", trainingFlags()) + "\n";
    }

    /** Runs a step to its end, or with {@code stopWhenOk} until that URL answers 200 and then SIGTERM; -1 past the limit. */
    private int run(List<String> command, String logName, String stopWhenOk) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName).toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TRAINING_LIMIT_SECONDS);
        try {
            if (stopWhenOk != null) {
                while (process.isAlive() && !ManagedProcess.isHttpOk(stopWhenOk) && System.nanoTime() < deadline) {
                    Thread.sleep(100); // a poll interval: the loop checks the condition
                }
                process.destroy(); // SIGTERM: the JVM writes its cache as it exits
            }
            if (!process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The jar the part runs from: the extracted one of a Spring Boot jar, else the jar as built. */
    private Path runnableJar() {
        return Files.isRegularFile(extractedJar()) ? extractedJar() : jar;
    }

    private Path extractedJar() {
        return dir.resolve("app").resolve(jar.getFileName());
    }

    private Path cacheFile() {
        return dir.resolve(jdk.hasAotCache() ? "classes.aot" : "classes.jsa");
    }

    private Path keyFile() {
        return dir.resolve("key");
    }

    /** The cache file's path, for tests that spoil it on purpose. */
    public Path cachePath() {
        return cacheFile();
    }

    @Override
    public String toString() {
        return part + " (" + (jdk.hasAotCache() ? "AOT cache" : "CDS archive") + ", " + dir + ")";
    }
}
