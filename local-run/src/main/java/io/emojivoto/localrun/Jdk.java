package io.emojivoto.localrun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java installation that runs the pipeline's Java parts: the one {@code JAVA_HOME} names, else the
 * newest (17 or later) found beside the one running this code. A newer JDK starts the parts faster: on
 * Java 25 each Spring part gets an AOT cache, on 17 to 24 a dynamic CDS archive ({@link StartCache}).
 */
public record Jdk(Path home, String version) {

    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"");
    /** Where JDKs are installed side by side: Debian and Ubuntu's packages, macOS, SDKMAN!. */
    private static final List<String> INSTALL_FOLDERS = List.of("/usr/lib/jvm", "/Library/Java/JavaVirtualMachines",
            System.getProperty("user.home") + "/.sdkman/candidates/java");

    /** JAVA_HOME when it names a JDK; else the newest JDK 17+ found, this JVM's own at the least. */
    public static Jdk forParts() {
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            Optional<Jdk> named = at(Path.of(javaHome));
            if (named.isPresent()) {
                return named.get();
            }
        }
        return newest(candidates()).orElseGet(Jdk::running);
    }

    /** The JVM running this code. */
    public static Jdk running() {
        return new Jdk(Path.of(System.getProperty("java.home")), System.getProperty("java.version"));
    }

    static Optional<Jdk> newest(List<Path> homes) {
        return homes.stream().map(Jdk::at).flatMap(Optional::stream).filter(jdk -> jdk.feature() >= 17)
                .max(Comparator.comparingInt(Jdk::feature).thenComparing(Jdk::version, Jdk::compareVersions));
    }

    private static List<Path> candidates() {
        List<Path> homes = new ArrayList<>();
        homes.add(Path.of(System.getProperty("java.home")));
        for (String folder : INSTALL_FOLDERS) {
            Path dir = Path.of(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(dir)) {
                entries.forEach(entry -> {
                    homes.add(entry);
                    homes.add(entry.resolve("Contents/Home")); // macOS's layout
                });
            } catch (IOException e) {
                // an unreadable folder holds no JDK we can use
            }
        }
        return homes;
    }

    /** The JDK at {@code home}, read from its {@code release} file, when it has a java launcher. */
    static Optional<Jdk> at(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
            return Optional.empty();
        }
        try {
            Matcher version = JAVA_VERSION.matcher(Files.readString(release));
            return version.find() ? Optional.of(new Jdk(home.toRealPath(), version.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The feature release: 17 for "17.0.15", 25 for "25.0.3", 8 for "1.8.0_402". */
    public int feature() {
        String[] parts = version.split("[.+_-]");
        int first = Integer.parseInt(parts[0]);
        return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    }

    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    /**
     * A part's JVM flags, with what this JDK adds: where it has it (22+, 21.0.1+, 17.0.9+), a trim of the
     * C heap every 2 s, which hands back to the system the memory the start-up freed (the JIT's and the
     * class parsers' work areas): about 6 MB a part, measured on emoji-svc; on 24+, Unsafe for Netty.
     */
    public List<String> flags(List<String> partFlags) {
        List<String> flags = new ArrayList<>(partFlags);
        if (trimsNativeHeap()) {
            flags.add("-XX:TrimNativeHeapInterval=2000");
        }
        if (feature() >= 24) {
            // Netty (the proxy, gRPC, Zipkin's Armeria) turns its use of sun.misc.Unsafe off by itself on 24+
            // unless allowed, and then runs slower (Zipkin spent 49 µs a span instead of 36); native access
            // for its epoll and io_uring transports, without the JDK's warning.
            flags.add("--sun-misc-unsafe-memory-access=allow");
            flags.add("--enable-native-access=ALL-UNNAMED");
        }
        return flags;
    }

    /** {@code java [the part's flags, and this JDK's] -jar jar}. */
    public List<String> javaCommand(List<String> partFlags, Path jar) {
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        command.addAll(flags(partFlags));
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    private boolean trimsNativeHeap() {
        String[] parts = version.split("[.+_-]");
        int update = parts.length > 2 && parts[2].matches("\\d+") ? Integer.parseInt(parts[2]) : 0;
        return feature() >= 22 || (feature() == 21 && update >= 1) || (feature() == 17 && update >= 9);
    }

    /** Java 25's AOT cache (JEP 483, 514, 515) rather than a dynamic CDS archive. */
    public boolean hasAotCache() {
        return feature() >= 25;
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("[.+_-]");
        String[] y = b.split("[.+_-]");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int order = x[i].matches("\\d+") && y[i].matches("\\d+")
                    ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    @Override
    public String toString() {
        return "Java " + version + " (" + home + ")";
    }
}
