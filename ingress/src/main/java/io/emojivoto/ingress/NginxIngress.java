package io.emojivoto.ingress;

import io.emojivoto.localrun.Directories;
import io.emojivoto.localrun.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the ingress locally: Debian's nginx with the Lua module, the files of {@code ingress/nginx/}
 * copied into a fresh prefix folder, and the local parts (module loading, listen addresses,
 * upstream) written into {@code conf/env/}. nginx runs in the foreground, so its PID is the master's.
 */
public final class NginxIngress implements AutoCloseable {

    public static final String INSTALL_HINT = "sudo apt-get install -y nginx libnginx-mod-http-lua lua-cjson";

    /**
     * Which nginx runs the ingress: {@code modulesDir} holds the Lua module to load (Debian's packages),
     * or is null when the Lua module is built in (OpenResty).
     */
    public record Nginx(String binary, Path modulesDir) {

        static final Nginx DEBIAN = new Nginx("/usr/sbin/nginx", Path.of("/usr/lib/nginx/modules"));

        /**
         * {@code NGINX_BIN} when set; else Debian's nginx with its Lua module; else OpenResty ({@code openresty})
         * or an nginx on PATH, whose Lua module must then be built in.
         */
        public static Nginx find(Map<String, String> environment) {
            String named = environment.get("NGINX_BIN");
            if (named != null && !named.isBlank()) {
                return of(named);
            }
            if (Files.isExecutable(Path.of(DEBIAN.binary())) && Files.isRegularFile(DEBIAN.modulesDir().resolve("ngx_http_lua_module.so"))) {
                return DEBIAN;
            }
            for (String candidate : new String[] {"openresty", "nginx"}) {
                for (String dir : environment.getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                    Path binary = Path.of(dir.isEmpty() ? "." : dir, candidate);
                    if (Files.isExecutable(binary)) {
                        return of(binary.toString());
                    }
                }
            }
            return DEBIAN; // checkInstalled says what to install
        }

        /** A given binary: Debian's, whose Lua module is loaded, or one whose Lua module is built in. */
        static Nginx of(String binary) {
            return binary.equals(DEBIAN.binary()) ? DEBIAN : new Nginx(binary, null);
        }
    }

    /**
     * Settings of one ingress. {@code env} holds the Lua's environment variables (SAMPLE_RATE, …);
     * {@code publicAddress}, when not null, is a second address the public listener binds besides
     * 127.0.0.1 (`up --listen`), for a room that shares one instance.
     */
    public record Settings(Path sourceDir, Path prefix, int port, int statusPort, List<String> upstreams,
                           Map<String, String> env, Nginx nginx, String publicAddress) {

        public static Settings local(Path sourceDir, Path prefix, int port, int statusPort, String upstream,
                                     Map<String, String> env) {
            return new Settings(sourceDir, prefix, port, statusPort, List.of(upstream), env, Nginx.find(System.getenv()), null);
        }

        public Settings withNginx(Nginx chosen) {
            return new Settings(sourceDir, prefix, port, statusPort, upstreams, env, chosen, publicAddress);
        }

        public Settings withPublicAddress(String address) {
            return new Settings(sourceDir, prefix, port, statusPort, upstreams, env, nginx, address);
        }
    }

    private final Settings settings;
    private final ManagedProcess process;

    private NginxIngress(Settings settings, ManagedProcess process) {
        this.settings = settings;
        this.process = process;
    }

    /** Checks the machine, lays out the prefix, validates the configuration, starts nginx, awaits /ready. */
    public static NginxIngress start(Settings settings) {
        return start(settings, null, true);
    }

    /**
     * @param log        where nginx's own output goes (null: the tests' log folder)
     * @param stopOnExit stop nginx when this JVM exits
     */
    public static NginxIngress start(Settings settings, Path log, boolean stopOnExit) {
        List<String> command = prepare(settings);
        String name = "ingress-" + settings.port();
        ManagedProcess process = log == null ? ManagedProcess.start(name, command, settings.env())
                : ManagedProcess.start(name, command, settings.env(), log, stopOnExit);
        NginxIngress ingress = new NginxIngress(settings, process);
        process.awaitHttpOk(ingress.statusUrl("/ready"), Duration.ofSeconds(20));
        return ingress;
    }

    /**
     * Lays out a fresh prefix, has nginx check the configuration, and starts nginx without waiting
     * for it: for a caller that awaits its health itself (the launcher, which also restarts it).
     */
    public static ManagedProcess launch(Settings settings, Path log) {
        return ManagedProcess.start("ingress", ManagedProcess.inOwnSession(prepare(settings)), settings.env(), log, false);
    }

    /** The checks, the prefix folder and the configuration test; returns nginx's command line. */
    private static List<String> prepare(Settings settings) {
        checkInstalled(settings);
        layOut(settings);
        List<String> base = List.of(settings.nginx().binary(), "-p", settings.prefix() + "/", "-c", "conf/nginx.conf");
        configTest(settings, base);
        List<String> command = new ArrayList<>(base);
        command.add("-g");
        command.add("daemon off;");
        return command;
    }

    /** A clear, actionable error instead of nginx's own when nginx or its Lua module is missing. */
    public static void checkInstalled(Settings settings) {
        checkInstalled(settings.nginx());
    }

    /** As {@link #checkInstalled(Settings)}, for the nginx alone: before anything starts. */
    public static void checkInstalled(Nginx nginx) {
        if (!Files.isExecutable(Path.of(nginx.binary()))) {
            throw new IllegalStateException("nginx is not installed (no " + nginx.binary() + "). Install it: " + INSTALL_HINT
                    + "; or OpenResty; or name one with NGINX_BIN");
        }
        if (nginx.modulesDir() != null) {
            for (String module : List.of("ndk_http_module.so", "ngx_http_lua_module.so")) {
                if (!Files.isRegularFile(nginx.modulesDir().resolve(module))) {
                    throw new IllegalStateException("nginx's Lua module is not installed (no " + nginx.modulesDir().resolve(module)
                            + "). Install it: " + INSTALL_HINT);
                }
            }
        } else if (!buildsInLua(nginx.binary())) {
            throw new IllegalStateException(nginx.binary() + " has no Lua module built in (its -V lists none): use OpenResty,"
                    + " or Debian's nginx with " + INSTALL_HINT);
        }
    }

    /** Whether an nginx was built with the Lua module, as OpenResty is: its {@code -V} says so. */
    private static boolean buildsInLua(String binary) {
        try {
            Process version = new ProcessBuilder(binary, "-V").redirectErrorStream(true).start();
            String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            version.waitFor(10, TimeUnit.SECONDS);
            return output.contains("lua") || output.contains("openresty");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void layOut(Settings settings) {
        Path prefix = settings.prefix();
        try {
            Directories.deleteTree(prefix);
            Path env = Files.createDirectories(prefix.resolve("conf/env"));
            Files.copy(settings.sourceDir().resolve("conf/nginx.conf"), prefix.resolve("conf/nginx.conf"));
            copyTree(settings.sourceDir().resolve("lua"), prefix.resolve("lua"));
            if (settings.nginx().modulesDir() != null) { // Debian: the Lua module is a module to load
                Path modules = settings.nginx().modulesDir();
                write(env.resolve("main-modules.conf"), "load_module " + modules.resolve("ndk_http_module.so") + ";\n"
                        + "load_module " + modules.resolve("ngx_http_lua_module.so") + ";\n");
            }
            write(env.resolve("listen.conf"), "listen 127.0.0.1:" + settings.port() + ";\n"
                    + (settings.publicAddress() == null ? "" : "listen " + settings.publicAddress() + ":" + settings.port() + ";\n"));
            write(env.resolve("status.conf"), "listen 127.0.0.1:" + settings.statusPort() + ";\n");
            StringBuilder upstream = new StringBuilder();
            settings.upstreams().forEach(u -> upstream.append("server ").append(u).append(";\n"));
            write(env.resolve("upstream.conf"), upstream.toString());
            // Started as root, nginx's workers run as nobody: they must be able to write here.
            for (String dir : List.of("logs", "tmp")) {
                Path d = Files.createDirectories(prefix.resolve(dir));
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare nginx's folder " + prefix, e);
        }
    }

    private static void configTest(Settings settings, List<String> base) {
        List<String> command = new ArrayList<>(base);
        command.add("-t");
        command.add("-q");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(settings.env());
        try {
            Process test = builder.start();
            String output = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!test.waitFor(20, TimeUnit.SECONDS) || test.exitValue() != 0) {
                throw new IllegalStateException("nginx refused the ingress configuration:\n" + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return settings.port();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + settings.port() + path;
    }

    public String statusUrl(String path) {
        return "http://127.0.0.1:" + settings.statusPort() + path;
    }

    public Path prefix() {
        return settings.prefix();
    }

    public ManagedProcess process() {
        return process;
    }

    /** SIGQUIT: nginx finishes in-flight requests and each worker flushes its spans before exiting. */
    public void stopGracefully() {
        stopGracefully(process);
    }

    /** As {@link #stopGracefully()}, for an nginx started by {@link #launch}: up to 15 s, then SIGTERM. */
    public static void stopGracefully(ManagedProcess nginx) {
        if (!nginx.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(nginx.pid())).inheritIO().start().waitFor();
            ProcessHandle.of(nginx.pid()).ifPresent(h -> h.onExit().completeOnTimeout(h, 15, TimeUnit.SECONDS).join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        nginx.close();
    }

    @Override
    public void close() {
        process.close();
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The Lua's environment with defaults filled in, for callers that build it up. */
    public static Map<String, String> env(String zipkinEndpoint, double sampleRate) {
        Map<String, String> env = new HashMap<>();
        env.put("ZIPKIN_ENDPOINT", zipkinEndpoint);
        env.put("SAMPLE_RATE", Double.toString(sampleRate));
        return env;
    }
}
