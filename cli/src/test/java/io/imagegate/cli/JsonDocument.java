package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's stdout read as what {@code --json} promises: one JSON document, on one line, and nothing
 * else.
 */
final class JsonDocument {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonDocument() {}

    /**
     * The document of a run of {@code command}, with the schema version and command every document
     * starts with.
     */
    static JsonNode of(CliRun run, String command) {
        assertThat(run.out().lines().toList())
                .as("stdout is one line: " + run.out() + "\nstderr: " + run.err())
                .hasSize(1);
        JsonNode document;
        try {
            document = JSON.readTree(run.out());
        } catch (java.io.IOException e) {
            throw new AssertionError("stdout is not one JSON document: " + run.out(), e);
        }
        assertThat(document.isObject()).isTrue();
        List<String> keys = new ArrayList<>();
        document.fieldNames().forEachRemaining(keys::add);
        assertThat(keys.subList(0, 3)).containsExactly("schemaVersion", "command", "outcome");
        assertThat(document.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(document.path("command").asText()).isEqualTo(command);
        return document;
    }

    /** The keys of an object, in order. */
    static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /**
     * An error document: outcome ERROR, the error's kind and its message, exit code 2 as without
     * --json.
     */
    static JsonNode error(CliRun run, String command, String kind) {
        JsonNode document = of(run, command);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(document.path("outcome").asText()).isEqualTo("ERROR");
        assertThat(document.path("errorKind").asText()).isEqualTo(kind);
        assertThat(document.path("error").asText()).isNotBlank();
        assertThat(document.has("retryable")).isTrue();
        return document;
    }
}
