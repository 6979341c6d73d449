package io.imagegate.vetting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.message.ImageGateException;
import io.imagegate.policy.Verdict;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.trust.UpstreamSignatures;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The verdict document stored beside a vetted image (schema {@code docs/verdict-v1.schema.json}):
 * PASS or FAIL, the image's digest, each platform's verdict with every finding and how it was
 * judged, the policy's digest, the scanner and its DB's age, the time, counts by severity, and
 * allowlisted findings with their reasons.
 */
public final class VerdictDocument {
    public static final String MEDIA_TYPE = io.imagegate.oci.MediaTypes.IMAGEGATE_VERDICT;
    public static final int SCHEMA_VERSION = 1;

    /** A verdict document is a few KB per platform; anything near this is not one. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final JsonNode json;
    private final byte[] bytes;

    private VerdictDocument(JsonNode json, byte[] bytes) {
        this.json = json;
        this.bytes = bytes;
    }

    /**
     * The document for the verdicts of every scanned manifest of {@code subject}.
     *
     * @param quarantine the repository the image was scanned in (same registry), where its FAILs
     *     are recorded too
     * @param supersedes the verdicts of the same digest and policy this one replaces: those
     *     recorded when it was made
     */
    public static VerdictDocument of(
            ImageReference subject,
            Digest digest,
            String mediaType,
            ImageReference source,
            String policyDigest,
            List<Verdict> verdicts,
            Instant created,
            String quarantine,
            java.util.Collection<Digest> supersedes) {
        return of(
                subject,
                digest,
                mediaType,
                source,
                policyDigest,
                verdicts,
                created,
                quarantine,
                supersedes,
                java.util.Optional.empty());
    }

    /**
     * What the upstream signature check found, for the document's {@code signatures} section.
     *
     * @param required whether the policy requires a signature (else it was checked and recorded
     *     only)
     */
    public record Signatures(boolean required, UpstreamSignatures.Result result) {}

    /**
     * As above, with the upstream signature check's result when the policy has a signatures
     * section.
     */
    public static VerdictDocument of(
            ImageReference subject,
            Digest digest,
            String mediaType,
            ImageReference source,
            String policyDigest,
            List<Verdict> verdicts,
            Instant created,
            String quarantine,
            java.util.Collection<Digest> supersedes,
            java.util.Optional<Signatures> signatures) {
        if (verdicts.isEmpty()) {
            throw ImageGateException.internal(
                    "verdict.empty", "a verdict over nothing is never recorded");
        }
        boolean pass = verdicts.stream().allMatch(Verdict::passed);
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("mediaType", MEDIA_TYPE);
        root.put("verdict", pass ? "PASS" : "FAIL");
        ObjectNode s = root.putObject("subject");
        s.put("name", subject.name());
        s.put("digest", digest.toString());
        s.put("mediaType", mediaType);
        root.put("source", source.toString());
        root.putObject("policy").put("digest", policyDigest);
        Verdict first = verdicts.get(0);
        ObjectNode scanner = root.putObject("scanner");
        scanner.put("name", first.scanner().name());
        scanner.put("version", first.scanner().version());
        first.dbUpdatedAt().ifPresent(d -> scanner.put("dbUpdatedAt", d));
        root.put("created", created.toString());
        root.put("quarantine", quarantine);
        ArrayNode replaced = root.putArray("supersedes");
        supersedes.stream().map(Digest::toString).sorted().forEach(replaced::add);
        Map<Severity, Integer> total = new EnumMap<>(Severity.class);
        ArrayNode platforms = root.putArray("platforms");
        ArrayNode allowlisted = root.putArray("allowlisted");
        for (Verdict v : verdicts) {
            ObjectNode p = platforms.addObject();
            p.put("digest", v.image().digest().map(Object::toString).orElse(""));
            v.platform().ifPresent(pl -> p.put("platform", pl.toString()));
            p.put("verdict", v.outcome().name());
            ObjectNode counts = p.putObject("counts");
            for (Severity sev : Severity.values()) {
                int n = v.counts().getOrDefault(sev, 0);
                counts.put(sev.name(), n);
                total.merge(sev, n, Integer::sum);
            }
            ArrayNode reasons = p.putArray("reasons");
            v.reasons().forEach(reasons::add);
            ArrayNode findings = p.putArray("findings");
            for (Verdict.Judged j : v.findings()) {
                ObjectNode f = findings.addObject();
                Vulnerability x = j.finding();
                f.put("id", x.id());
                f.put("package", x.packageName());
                f.put("installedVersion", x.installedVersion());
                x.fixedVersion().ifPresent(fx -> f.put("fixedVersion", fx));
                f.put("severity", x.severity().name());
                f.put("judgement", j.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                j.entry()
                        .ifPresent(
                                e -> {
                                    f.put("reason", e.reason());
                                    ObjectNode a = allowlisted.addObject();
                                    a.put("id", x.id());
                                    a.put("package", x.packageName());
                                    v.platform().ifPresent(pl -> a.put("platform", pl.toString()));
                                    a.put("reason", e.reason());
                                    a.put("expires", e.expires());
                                });
            }
        }
        ObjectNode counts = root.putObject("counts");
        for (Severity sev : Severity.values()) {
            counts.put(sev.name(), total.getOrDefault(sev, 0));
        }
        signatures.ifPresent(sig -> signatures(root.putObject("signatures"), sig));
        try {
            return new VerdictDocument(
                    root, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void signatures(ObjectNode node, Signatures signatures) {
        UpstreamSignatures.Result result = signatures.result();
        node.put("required", signatures.required());
        node.put("verified", result.verified());
        ArrayNode keys = node.putArray("keys");
        result.trust()
                .keys()
                .forEach(
                        k ->
                                keys.addObject()
                                        .put("file", k.source())
                                        .put("fingerprint", k.fingerprint()));
        if (!result.trust().identities().isEmpty()) {
            ArrayNode identities = node.putArray("identities");
            result.trust().identities().forEach(i -> identities.add(i.toString()));
        }
        ArrayNode signedBy = node.putArray("signedBy");
        for (UpstreamSignatures.Signature s : result.valid()) {
            ObjectNode entry =
                    signedBy.addObject()
                            .put("format", s.format().id())
                            .put("artifact", s.artifact().toString());
            s.key().ifPresent(k -> entry.put("keyFile", k.source()).put("key", k.fingerprint()));
            s.certificate()
                    .ifPresent(
                            c ->
                                    entry.put("subject", c.subject())
                                            .put("issuer", c.issuer())
                                            .put("signedAt", c.signedAt().toString()));
        }
        result.reason().ifPresent(r -> node.put("reason", r));
    }

    /** Reads a stored document, checking its schema version and that it judges {@code subject}. */
    public static VerdictDocument parse(byte[] bytes, Digest subject, String where) {
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (IOException e) {
            json = null;
        }
        if (json == null
                || !json.isObject()
                || json.path("schemaVersion").asInt(-1) != SCHEMA_VERSION
                || !MEDIA_TYPE.equals(json.path("mediaType").asText())) {
            throw ImageGateException.integrity(
                    "verdict.document",
                    "the verdict document {0} is not an imagegate verdict (schema {1})",
                    where,
                    SCHEMA_VERSION);
        }
        if (!subject.toString().equals(json.path("subject").path("digest").asText())) {
            throw ImageGateException.integrity(
                    "verdict.subject",
                    "the verdict document {0} judges another image than {1}",
                    where,
                    subject);
        }
        return new VerdictDocument(json, bytes.clone());
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The document as JSON: the predicate of its signed attestation. */
    public JsonNode json() {
        return json.deepCopy();
    }

    public String text() {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    public boolean passed() {
        return "PASS".equals(json.path("verdict").asText());
    }

    public String verdict() {
        return json.path("verdict").asText();
    }

    public String policyDigest() {
        return json.path("policy").path("digest").asText();
    }

    /**
     * The upstream image it was vetted from, pinned as vetted; empty when the document names none
     * or names something that is not an image reference (a document is data from the registry).
     */
    public java.util.Optional<ImageReference> source() {
        try {
            String text = json.path("source").asText("");
            return text.isEmpty()
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(ImageReference.parse(text));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    public String created() {
        return json.path("created").asText();
    }

    /**
     * {@code id package version} of every finding of every platform, for comparing two verdicts.
     */
    public Set<String> findingKeys() {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode p : json.path("platforms")) {
            for (JsonNode f : p.path("findings")) {
                out.add(
                        f.path("id").asText()
                                + " "
                                + f.path("package").asText()
                                + " "
                                + f.path("installedVersion").asText());
            }
        }
        return out;
    }

    /**
     * {@code id package version} of every finding that failed the policy, on any platform, each
     * once, in the document's order.
     */
    public Set<String> failingKeys() {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode p : json.path("platforms")) {
            for (JsonNode f : p.path("findings")) {
                if ("failing".equals(f.path("judgement").asText())) {
                    out.add(
                            f.path("id").asText()
                                    + " "
                                    + f.path("package").asText()
                                    + " "
                                    + f.path("installedVersion").asText());
                }
            }
        }
        return out;
    }

    /** The platforms' verdicts as found in the document. */
    public List<String> platformVerdicts() {
        List<String> out = new ArrayList<>();
        for (JsonNode p : json.path("platforms")) {
            out.add(p.path("platform").asText("") + " " + p.path("verdict").asText());
        }
        return out;
    }

    /**
     * The repository of the name the image was vetted for (the trusted name), without registry or
     * tag.
     */
    public String subjectRepository() {
        try {
            return ImageReference.parse(json.path("subject").path("name").asText()).repository();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** When it was made, parsed; empty when missing or not an instant. */
    public java.util.Optional<Instant> createdAt() {
        try {
            return java.util.Optional.of(Instant.parse(created()));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The repository the image was quarantined and scanned in; empty in documents made before it
     * was recorded.
     */
    public String quarantine() {
        return json.path("quarantine").asText("");
    }

    /** The verdicts this one supersedes; an entry that is not a digest names nothing. */
    public Set<Digest> supersedes() {
        Set<Digest> out = new LinkedHashSet<>();
        for (JsonNode d : json.path("supersedes")) {
            try {
                out.add(Digest.parse(d.asText()));
            } catch (RuntimeException e) {
                // not a digest: supersedes nothing
            }
        }
        return out;
    }

    /**
     * Why this document cannot stand as a PASS, or empty when it can: its verdict must be PASS,
     * every platform's verdict PASS, and no finding judged failing. A document that says PASS over
     * failing findings is not believed.
     */
    public java.util.Optional<String> whyNotAPass() {
        if (!passed()) {
            return java.util.Optional.of(
                    "its document says " + (verdict().isEmpty() ? "no verdict" : verdict()));
        }
        if (!json.path("platforms").isArray() || json.path("platforms").isEmpty()) {
            return java.util.Optional.of("its document judges no platform");
        }
        for (JsonNode p : json.path("platforms")) {
            if (!"PASS".equals(p.path("verdict").asText())) {
                return java.util.Optional.of(
                        "its document says PASS but judges "
                                + p.path("platform").asText("a platform")
                                + " "
                                + p.path("verdict").asText("without a verdict"));
            }
            for (JsonNode f : p.path("findings")) {
                if ("failing".equals(f.path("judgement").asText())) {
                    return java.util.Optional.of(
                            "its document says PASS but lists the failing finding "
                                    + f.path("id").asText());
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** An allowlist entry a PASS rested on: the finding it let through and until when. */
    public record Allowance(String id, String packageName, String expires) {}

    /** The allowlist entries this verdict rested on. */
    public List<Allowance> allowlisted() {
        List<Allowance> out = new ArrayList<>();
        for (JsonNode a : json.path("allowlisted")) {
            out.add(
                    new Allowance(
                            a.path("id").asText(),
                            a.path("package").asText(),
                            a.path("expires").asText()));
        }
        return out;
    }
}
