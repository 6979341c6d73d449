package io.imagegate.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.reference.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An in-toto Statement v1: what a signature is about ({@code subject}: names and digests) and what
 * it says about them ({@code predicateType} and {@code predicate}). It is the DSSE payload of an
 * attestation.
 */
public record InTotoStatement(List<Subject> subjects, String predicateType, JsonNode predicate) {
    public static final String TYPE = "https://in-toto.io/Statement/v1";

    /** Subjects read from one statement at the most. */
    static final int MAX_SUBJECTS = 64;

    /** One subject: a name and its sha256 digest (hex), the only digest algorithm checked. */
    public record Subject(String name, String sha256) {}

    public InTotoStatement {
        subjects = List.copyOf(subjects);
        predicate = predicate.deepCopy();
    }

    @Override
    public JsonNode predicate() {
        return predicate.deepCopy();
    }

    /** A statement about one image manifest. */
    public static InTotoStatement about(
            String name, Digest digest, String predicateType, JsonNode predicate) {
        return new InTotoStatement(
                List.of(new Subject(name, digest.hex())), predicateType, predicate);
    }

    /** Whether some subject is {@code digest}. */
    public boolean names(Digest digest) {
        return "sha256".equals(digest.algorithm())
                && subjects.stream().anyMatch(s -> s.sha256().equals(digest.hex()));
    }

    /** The statement as JSON bytes, the DSSE payload. */
    public byte[] bytes() {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("_type", TYPE);
        for (Subject subject : subjects) {
            ObjectNode node = s.withArray("subject").addObject();
            node.put("name", subject.name());
            node.putObject("digest").put("sha256", subject.sha256());
        }
        s.put("predicateType", predicateType);
        s.set("predicate", predicate);
        try {
            return Json.MAPPER.writeValueAsBytes(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a statement; empty when the bytes are not an in-toto Statement v1. */
    public static Optional<InTotoStatement> parse(byte[] bytes) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (json == null
                || !json.isObject()
                || !TYPE.equals(json.path("_type").asText())
                || !json.path("predicateType").isTextual()
                || !json.path("subject").isArray()
                || json.path("subject").size() > MAX_SUBJECTS) {
            return Optional.empty();
        }
        List<Subject> subjects = new ArrayList<>();
        for (JsonNode node : json.path("subject")) {
            subjects.add(
                    new Subject(
                            node.path("name").asText(""),
                            node.path("digest").path("sha256").asText("")));
        }
        return Optional.of(
                new InTotoStatement(
                        subjects, json.path("predicateType").asText(), json.path("predicate")));
    }
}
