package io.imagegate.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.Json;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Credentials from Docker's {@code config.json}: {@code credHelpers} per registry, then the default
 * {@code credsStore}, then {@code auths} entries (base64 {@code auth}, or {@code identitytoken}). A
 * helper runs as {@code docker-credential-<name> get} with the server on stdin, as Docker does.
 * Answers are cached for the life of this object so a helper runs once per registry.
 */
public final class DockerConfigCredentials implements CredentialProvider {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(30);

    /** Docker stores Hub credentials under its v1 index URL. */
    private static final List<String> HUB_KEYS =
            List.of(
                    "https://index.docker.io/v1/",
                    "index.docker.io",
                    "docker.io",
                    "registry-1.docker.io",
                    "https://registry-1.docker.io");

    private final Path configFile;
    private final JsonNode config;
    private final String searchPath;
    private final Map<String, Optional<Credentials>> cache = new ConcurrentHashMap<>();

    private DockerConfigCredentials(Path configFile, JsonNode config, String searchPath) {
        this.configFile = configFile;
        this.config = config;
        this.searchPath = searchPath == null ? "" : searchPath;
    }

    /**
     * {@code $DOCKER_CONFIG/config.json}, else {@code <home>/.docker/config.json}; no file means no
     * credentials. The home directory is the caller's: the library never reads {@code user.home}
     * itself.
     */
    public static DockerConfigCredentials fromEnvironment(Map<String, String> env, Path home) {
        String dir = env.get("DOCKER_CONFIG");
        Path file =
                dir != null && !dir.isBlank()
                        ? Path.of(dir, "config.json")
                        : home.resolve(".docker").resolve("config.json");
        return load(file, env.get("PATH"));
    }

    /**
     * Reads {@code file}; credential helpers are looked up in {@code searchPath} (a PATH value).
     */
    public static DockerConfigCredentials load(Path file, String searchPath) {
        if (!Files.isRegularFile(file)) {
            return new DockerConfigCredentials(file, JSON.createObjectNode(), searchPath);
        }
        try {
            if (Files.size(file) > 4 * 1024 * 1024) {
                throw ImageGateException.configuration(
                        "docker-config.too-large",
                        "the Docker config {0} is larger than 4 MiB; fix or move it",
                        file);
            }
            JsonNode json = JSON.readTree(file.toFile());
            return new DockerConfigCredentials(
                    file, json == null ? JSON.createObjectNode() : json, searchPath);
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "docker-config.invalid",
                    "cannot read the Docker config {0}: it is not valid JSON; fix or move it",
                    file);
        }
    }

    @Override
    public Optional<Credentials> credentialsFor(String registry) {
        return cache.computeIfAbsent(registry, this::lookUp);
    }

    private Optional<Credentials> lookUp(String registry) {
        List<String> keys =
                registry.equals(ImageReference.DOCKER_HUB) ? HUB_KEYS : List.of(registry);
        JsonNode helpers = config.path("credHelpers");
        for (String key : keys) {
            if (helpers.hasNonNull(key)) {
                String helper = helpers.get(key).asText();
                return runHelper(helper, serverUrl(registry))
                        .map(
                                c ->
                                        c.from(
                                                "Docker config "
                                                        + configFile
                                                        + ", credHelpers \""
                                                        + key
                                                        + "\": docker-credential-"
                                                        + helper));
            }
        }
        if (config.hasNonNull("credsStore") && !config.get("credsStore").asText().isBlank()) {
            String store = config.get("credsStore").asText();
            Optional<Credentials> stored =
                    runHelper(store, serverUrl(registry))
                            .map(
                                    c ->
                                            c.from(
                                                    "Docker config "
                                                            + configFile
                                                            + ", credsStore: docker-credential-"
                                                            + store));
            if (stored.isPresent()) {
                return stored;
            }
        }
        JsonNode auths = config.path("auths");
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (keys.stream().anyMatch(k -> normalizeKey(k).equals(normalizeKey(entry.getKey())))) {
                Optional<Credentials> found = fromAuthEntry(registry, entry.getValue());
                if (found.isPresent()) {
                    return found.map(
                            c ->
                                    c.from(
                                            "Docker config "
                                                    + configFile
                                                    + ", auths \""
                                                    + io.imagegate.message.Message.neutralize(
                                                            entry.getKey())
                                                    + "\""));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Credentials> fromAuthEntry(String registry, JsonNode entry) {
        String identityToken = entry.path("identitytoken").asText("");
        String auth = entry.path("auth").asText("");
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded =
                        new String(
                                Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ImageGateException.configuration(
                        "docker-config.auth-base64",
                        "the \"auth\" entry for {0} in {1} is not valid base64; run docker login again",
                        registry,
                        configFile);
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw ImageGateException.configuration(
                        "docker-config.auth-format",
                        "the \"auth\" entry for {0} in {1} is not base64 of user:password; run docker login again",
                        registry,
                        configFile);
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        if (!identityToken.isEmpty()) {
            return Optional.of(Credentials.identityToken(username, identityToken));
        }
        if (!username.isEmpty() || !password.isEmpty()) {
            return Optional.of(Credentials.basic(username, password));
        }
        return Optional.empty();
    }

    /** Strips scheme and path so {@code https://host/v1/} and {@code host} compare equal. */
    static String normalizeKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        return slash < 0 ? k : k.substring(0, slash);
    }

    private static String serverUrl(String registry) {
        return registry.equals(ImageReference.DOCKER_HUB)
                ? "https://index.docker.io/v1/"
                : registry;
    }

    private Optional<Credentials> runHelper(String name, String server) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw ImageGateException.configuration(
                    "docker-config.helper-name",
                    "credential helper name \"{0}\" in {1} is not a valid name",
                    name,
                    configFile);
        }
        String program = "docker-credential-" + name;
        Path executable =
                findOnPath(program)
                        .orElseThrow(
                                () ->
                                        ImageGateException.configuration(
                                                "docker-config.helper-missing",
                                                "the credential helper {0} named in {1} is not on the PATH; install it or remove it from the config",
                                                program,
                                                configFile));
        Process process;
        try {
            process =
                    new ProcessBuilder(executable.toString(), "get")
                            .redirectErrorStream(false)
                            .start();
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "docker-config.helper-start",
                    "the credential helper {0} named in {1} cannot be run: {2}; install it or remove it from the config",
                    program,
                    configFile,
                    String.valueOf(e.getMessage()));
        }
        try {
            CompletableFuture<byte[]> stdout =
                    CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> stderr =
                    CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(server.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(HELPER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw ImageGateException.of(
                        ErrorKind.TRANSIENT,
                        "docker-config.helper-timeout",
                        "the credential helper {0} did not answer within {1}s",
                        program,
                        HELPER_TIMEOUT.toSeconds());
            }
            String out = new String(stdout.join(), StandardCharsets.UTF_8);
            String err = new String(stderr.join(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                // "credentials not found in native keychain" means: no credentials, not an error.
                if ((out + err).toLowerCase(Locale.ROOT).contains("credentials not found")) {
                    return Optional.empty();
                }
                // Its output is never echoed: a helper that fails half-way may have printed the
                // secret already.
                throw ImageGateException.configuration(
                        "docker-config.helper-failed",
                        "the credential helper {0} failed for {1} (exit {2}); run `{0} get` with {1} on its input to see why",
                        program,
                        server,
                        process.exitValue());
            }
            JsonNode answer = JSON.readTree(out);
            String username = answer.path("Username").asText("");
            String secret = answer.path("Secret").asText("");
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            // Docker's convention: the user "<token>" marks an identity (refresh) token.
            return Optional.of(
                    username.equals("<token>")
                            ? Credentials.identityToken("", secret)
                            : Credentials.basic(username, secret));
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "docker-config.helper-answer",
                    "the credential helper {0} gave an answer that is not JSON; check the helper",
                    program);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw ImageGateException.of(
                    ErrorKind.INTERRUPTED,
                    "docker-config.helper-interrupted",
                    "interrupted while running {0}",
                    program);
        }
    }

    private Optional<Path> findOnPath(String program) {
        for (String dir : searchPath.split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                Path candidate = Path.of(dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readNBytes(1024 * 1024);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
