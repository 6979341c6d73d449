package io.imagegate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.Json;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.Message;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Registry error answers turned into typed errors. Only the structured parts of a distribution
 * error document ({@code errors[].code} and {@code .message}) are ever quoted, shortened; a body
 * that is not such a document is never echoed, since it may hold a token or anything else a hostile
 * server chose.
 */
final class RegistryErrors {
    private static final int QUOTE_LIMIT = 300;
    private static final java.time.Duration ERROR_BODY_TIME = java.time.Duration.ofSeconds(5);

    private RegistryErrors() {}

    /** {@code " (DENIED: requested access to the resource is denied)"}, or empty. */
    static String summary(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json == null) {
                return "";
            }
            List<String> parts = new ArrayList<>();
            for (JsonNode error : json.path("errors")) {
                String code = error.path("code").asText("");
                String message = error.path("message").asText("");
                parts.add((code + (message.isEmpty() ? "" : ": " + message)).strip());
                if (parts.size() == 3) {
                    break;
                }
            }
            String text = String.join("; ", parts);
            if (text.length() > QUOTE_LIMIT) {
                text = text.substring(0, QUOTE_LIMIT) + "…";
            }
            return text.isEmpty() ? "" : " (" + text + ")";
        } catch (IOException | RuntimeException notJson) {
            return "";
        }
    }

    /** The first distribution error code of an error document, or empty. */
    static String code(byte[] body) {
        try {
            JsonNode first = Json.MAPPER.readTree(body).path("errors").path(0);
            String code = first.path("code").asText("").toUpperCase(Locale.ROOT);
            return code.matches("[A-Z_]{1,64}") ? code : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** An error answer as an exception that says what was attempted, where, and what to do. */
    static RegistryException failure(
            Response r, String action, String registry, String repository, String access) {
        return failure(r, action, registry, repository, access, "");
    }

    /**
     * As {@link #failure(Response, String, String, String, String)}; a refusal names {@code
     * source}, where the credentials came from ({@code " (from …)"}, or empty).
     */
    static RegistryException failure(
            Response r,
            String action,
            String registry,
            String repository,
            String access,
            String source) {
        byte[] body;
        try {
            // An error document is small and quick; a registry that drips one gets a few seconds,
            // not the whole deadline.
            r.awaitAnswer(ERROR_BODY_TIME);
            body = r.bodyBytes(16 * 1024);
        } catch (IOException e) {
            body = new byte[0];
        }
        String code = code(body);
        int status = r.status();
        ErrorKind kind = RegistryException.kindOf(status, code);
        String where = registry + "/" + repository;
        String summary = summary(body);
        Message message =
                status == 407
                        ? Message.of(
                                "registry.proxy-denied",
                                "{0} {1} failed: HTTP 407; the proxy between imagegate and {2} refused the"
                                        + " request: check the proxy's user name and password",
                                action,
                                where,
                                registry)
                        : switch (kind) {
                            case AUTHENTICATION ->
                                    Message.of(
                                            "registry.denied",
                                            "{0} {1} failed: HTTP {2}{3}; the credentials used for {4}{8} do not allow"
                                                    + " {5} on {6} (check docker login, or the credentials given for this registry ({7}), and their permissions)",
                                            action,
                                            where,
                                            status,
                                            summary,
                                            registry,
                                            access,
                                            repository,
                                            Field.REGISTRY_CREDENTIALS,
                                            source);
                            case TRANSIENT ->
                                    status == 429 || code.equals("TOOMANYREQUESTS")
                                            ? Message.of(
                                                    "registry.rate-limited",
                                                    "{0} {1} failed: HTTP {2}{3}; the registry's rate limit was reached: retry"
                                                            + " later, authenticate, or import from a mirror",
                                                    action,
                                                    where,
                                                    status,
                                                    summary)
                                            : Message.of(
                                                    "registry.unavailable",
                                                    "{0} {1} failed: HTTP {2}{3}; the registry is unavailable, retry later",
                                                    action,
                                                    where,
                                                    status,
                                                    summary);
                            default ->
                                    Message.of(
                                            "registry.refused",
                                            "{0} {1} failed: HTTP {2}{3}",
                                            action,
                                            where,
                                            status,
                                            summary);
                        };
        return new RegistryException(kind, message, status, code);
    }
}
