package io.imagegate.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Which version each Trivy binary is, remembered between runs: keyed by the binary's real path, size and modification
 * time, so a replaced binary is asked again. Best effort: an unreadable or broken cache is ignored, never an error.
 */
final class VersionCache {
    private VersionCache() {
    }

    private static String key(Path binary) throws IOException {
        Path real = binary.toRealPath();
        return real + "|" + Files.size(real) + "|" + Files.getLastModifiedTime(real).toMillis();
    }

    static Optional<String> get(Path file, Path binary) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 1024 * 1024) {
                return Optional.empty();
            }
            JsonNode version = Json.MAPPER.readTree(Files.readAllBytes(file)).path(key(binary));
            return version.isTextual() && version.asText().matches("v?\\d+(\\.\\d+){1,3}([-+][\\w.]+)?")
                    ? Optional.of(version.asText()) : Optional.empty();
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
            all.put(key(binary), version);
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".trivy-versions", ".tmp");
            Files.write(temp, Json.MAPPER.writeValueAsBytes(all));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // a cache: the next run asks Trivy again
        }
    }
}
