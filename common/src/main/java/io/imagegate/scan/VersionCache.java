package io.imagegate.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which version each Trivy binary is, remembered between runs: keyed by the binary's real path,
 * size and modification time, so a replaced binary is asked again. Best effort: an unreadable or
 * broken cache is ignored, never an error.
 */
final class VersionCache {
    /**
     * What this JVM already read or learnt, by cache file and key: a long-lived JVM reads its file
     * once per binary, and another cache file (another home) is its own, not answered from what a
     * different one learnt.
     */
    private static final Map<String, String> KNOWN = new ConcurrentHashMap<>();

    private VersionCache() {}

    private static String key(Path binary) throws IOException {
        Path real = binary.toRealPath();
        return real + "|" + Files.size(real) + "|" + Files.getLastModifiedTime(real).toMillis();
    }

    static Optional<String> get(Path file, Path binary) {
        try {
            String key = key(binary);
            String known = KNOWN.get(file.toAbsolutePath() + "|" + key);
            if (known != null) {
                return Optional.of(known);
            }
            if (!Files.isRegularFile(file) || Files.size(file) > 1024 * 1024) {
                return Optional.empty();
            }
            JsonNode version = Json.MAPPER.readTree(Files.readAllBytes(file)).path(key);
            if (version.isTextual()
                    && version.asText().matches("v?\\d+(\\.\\d+){1,3}([-+][\\w.]+)?")) {
                remember(file, key, version.asText());
                return Optional.of(version.asText());
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static synchronized void put(Path file, Path binary, String version) {
        try {
            ObjectNode all = Json.MAPPER.createObjectNode();
            if (Files.isRegularFile(file) && Files.size(file) < 1024 * 1024) {
                JsonNode old = Json.MAPPER.readTree(Files.readAllBytes(file));
                if (old != null && old.isObject() && old.size() < 50) {
                    all.setAll((ObjectNode) old);
                }
            }
            String key = key(binary);
            remember(file, key, version);
            all.put(key, version);
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".trivy-versions", ".tmp");
            Files.write(temp, Json.MAPPER.writeValueAsBytes(all));
            Files.move(
                    temp,
                    file,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // a cache: the next run asks Trivy again
        }
    }

    private static void remember(Path file, String key, String version) {
        if (KNOWN.size() >= 64) {
            KNOWN.clear(); // a JVM that meets this many binaries gains nothing from remembering
            // them
        }
        KNOWN.put(file.toAbsolutePath() + "|" + key, version);
    }
}
