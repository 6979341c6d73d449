package io.imagegate.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.imagegate.finding.Severity;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The policy findings are judged against; one file format (YAML or JSON) for the CLI, Maven and
 * Jenkins.
 *
 * <pre>
 * failOn: HIGH             # a finding of this severity or above fails
 * maxCounts: {MEDIUM: 10}  # optional: more than this many findings of a severity fail
 * ignoreUnfixed: true      # findings without a fixed version do not count
 * maxDbAge: 7d             # the vulnerability DB must be younger (d, h, or ISO-8601 like P7D)
 * maxVerdictAge: 30d       # a stored verdict older than this does not vet an image
 * allowEmptyScan:          # an image in which Trivy finds no package at all fails (nothing was checked),
 *   - image: "registry.example.com/base/dockerfile*"   # unless an entry allows it (true: every image)
 *     reason: a static binary
 * verdictKeys: [org.pub]   # gates count only verdicts signed by one of these cosign public keys (relative to this file)
 * allowlist:
 *   - id: CVE-2024-1234
 *     package: openssl     # optional glob
 *     image: "registry.example.com/base/*"   # optional glob
 *     reason: not reachable in our use
 *     expires: 2027-01-31
 * signatures:              # optional: upstream signatures checked before an image is copied (see SignaturePolicy)
 *   required: true
 *   keys: [upstream.pub]   # cosign public keys (PEM), relative to the policy file
 *   keyless: {trustedRoot: trusted_root.json, identities: [{subject: …, issuer: …}]}
 * </pre>
 *
 * Parsing is strict: unknown or duplicate keys, a second YAML document, numbers where a severity
 * belongs, fractions where a count belongs, negative durations and impossible dates are refused,
 * naming file, line and key.
 *
 * <p>Its identity is its meaning: {@link #digest()} is its canonical digest ({@link
 * CanonicalPolicy}); {@link #fileDigest()}, that of the file's bytes, identified it before, and
 * still identifies the verdicts made then ({@link #identity()}).
 *
 * @param digest the canonical digest; computed when null
 * @param fileDigest the digest of the bytes it was read from; empty when it was not read
 */
public record Policy(
        @JsonProperty("failOn") Severity failOn,
        @JsonProperty("maxCounts") Map<Severity, Integer> maxCounts,
        @JsonProperty("ignoreUnfixed") Boolean ignoreUnfixed,
        @JsonProperty("maxDbAge") String maxDbAge,
        @JsonProperty("maxVerdictAge") String maxVerdictAge,
        @JsonProperty("allowlist") List<AllowlistEntry> allowlist,
        @JsonProperty("allowEmptyScan") EmptyScans emptyScans,
        @JsonProperty("verdictKeys") List<String> verdictKeys,
        @JsonProperty("signatures") SignaturePolicy signatures,
        @JsonProperty(value = "digest", access = JsonProperty.Access.READ_ONLY) String digest,
        @JsonProperty(value = "fileDigest", access = JsonProperty.Access.READ_ONLY)
                String fileDigest) {

    /** A policy file is a page or two of YAML; anything near this size is not one. */
    public static final int MAX_FILE_BYTES = 1024 * 1024;

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,6})\\s*([dh])");
    private static final Duration LONGEST = Duration.ofDays(36_500);

    public Policy {
        failOn = failOn == null ? Severity.HIGH : failOn;
        ignoreUnfixed = ignoreUnfixed != null && ignoreUnfixed;
        maxCounts = maxCounts == null ? Map.of() : Map.copyOf(maxCounts);
        for (Map.Entry<Severity, Integer> e : maxCounts.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException(
                        "maxCounts." + e.getKey() + " must be a count of 0 or more");
            }
        }
        allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
        emptyScans = emptyScans == null ? EmptyScans.NONE : emptyScans;
        verdictKeys =
                verdictKeys == null
                        ? List.of()
                        : List.copyOf(
                                verdictKeys.stream()
                                        .map(
                                                k -> {
                                                    if (k == null || k.isBlank()) {
                                                        throw new IllegalArgumentException(
                                                                "verdictKeys lists an empty entry; name each public key file");
                                                    }
                                                    return k;
                                                })
                                        .toList());
        if (verdictKeys.size() > 16) {
            throw new IllegalArgumentException("verdictKeys lists more than 16 keys");
        }
        if (maxDbAge != null) {
            parseDuration("maxDbAge", maxDbAge);
        }
        if (maxVerdictAge != null) {
            parseDuration("maxVerdictAge", maxVerdictAge);
        }
        fileDigest = fileDigest == null ? "" : fileDigest;
        if (digest == null || digest.isEmpty()) {
            // computed from the values this constructor just normalized
            digest =
                    CanonicalPolicy.digest(
                            new Policy(
                                    failOn,
                                    maxCounts,
                                    ignoreUnfixed,
                                    maxDbAge,
                                    maxVerdictAge,
                                    allowlist,
                                    emptyScans,
                                    verdictKeys,
                                    signatures,
                                    CanonicalPolicy.PENDING,
                                    fileDigest));
        }
    }

    public Policy(
            Severity failOn,
            Map<Severity, Integer> maxCounts,
            Boolean ignoreUnfixed,
            String maxDbAge,
            String maxVerdictAge,
            List<AllowlistEntry> allowlist,
            Boolean allowEmptyScan,
            String fileDigest) {
        this(
                failOn,
                maxCounts,
                ignoreUnfixed,
                maxDbAge,
                maxVerdictAge,
                allowlist,
                EmptyScans.of(allowEmptyScan != null && allowEmptyScan),
                List.of(),
                null,
                null,
                fileDigest);
    }

    /** Whether findings without a fixed version are left out. */
    public boolean ignoresUnfixed() {
        return ignoreUnfixed;
    }

    /**
     * Whether every image in which Trivy found no OS package and no language package passes ({@code
     * allowEmptyScan: true}). By default none does: such a scan checked nothing (a scratch image, a
     * static binary, a distribution Trivy does not know, a deleted package DB); {@link
     * #emptyScans()} says which images may.
     */
    public boolean allowsEmptyScan() {
        return emptyScans.everyImage();
    }

    /**
     * Which verdicts were made under this policy: those naming its canonical digest, and those made
     * before, naming its file's digest.
     */
    public PolicyIdentity identity() {
        return new PolicyIdentity(digest, Optional.of(fileDigest));
    }

    /** The default when no policy file is given: fail on HIGH and CRITICAL. */
    public static Policy defaults() {
        return new Policy(
                Severity.HIGH,
                Map.of(),
                false,
                null,
                null,
                List.of(),
                false,
                // what identified the default policy before canonical digests
                Digest.sha256("failOn: HIGH\n").toString());
    }

    /**
     * The upstream signatures an image needs, with their keys loaded; empty when the policy has no
     * signatures section.
     */
    public Optional<SignaturePolicy> signaturePolicy() {
        return Optional.ofNullable(signatures);
    }

    public Optional<Duration> maxDbAgeDuration() {
        return Optional.ofNullable(maxDbAge).map(v -> parseDuration("maxDbAge", v));
    }

    /** How old a stored verdict may be and still vet an image; empty: any age. */
    public Optional<Duration> maxVerdictAgeDuration() {
        return Optional.ofNullable(maxVerdictAge).map(v -> parseDuration("maxVerdictAge", v));
    }

    static Duration parseDuration(String key, String text) {
        Matcher m = SHORT_DURATION.matcher(text.strip());
        Duration d = null;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = m.group(2).equals("d") ? Duration.ofDays(n) : Duration.ofHours(n);
        } else {
            String iso = text.strip().toUpperCase(Locale.ROOT);
            try {
                if (iso.matches("P\\d{1,6}D")) {
                    d = Duration.ofDays(Long.parseLong(iso.substring(1, iso.length() - 1)));
                } else if (iso.startsWith("P")) {
                    d = Duration.parse(iso);
                }
            } catch (RuntimeException e) {
                d = null;
            }
        }
        if (d == null || d.isNegative() || d.isZero() || d.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException(
                    key
                            + " \""
                            + text
                            + "\" is not a positive duration of at most 100 years; use e.g."
                            + " 7d, 36h or P7D");
        }
        // Verdict ages are read in minutes at the finest: a fraction of one would be shown, and
        // honoured, as something else.
        if (d.toNanos() % 60_000_000_000L != 0 || d.toMinutes() < 1) {
            throw new IllegalArgumentException(
                    key
                            + " \""
                            + text
                            + "\" is not a whole number of minutes (at least one); use e.g."
                            + " 7d, 36h or PT90M");
        }
        return d;
    }

    /**
     * Loads a policy file (YAML, or JSON by the {@code .json} extension); errors name the file,
     * line and key.
     */
    public static Policy load(Path file) {
        return load(file, Field.POLICY);
    }

    /**
     * As {@link #load(Path)}, for a policy named somewhere else than the policy input: {@code
     * namedBy} says where (a sync file's key), in errors about the file.
     */
    public static Policy load(Path file, java.io.Serializable namedBy) {
        byte[] bytes = readFile(file, namedBy);
        return parse(bytes, file, file.toString().endsWith(".json"));
    }

    /**
     * Reads a small regular file: devices, FIFOs and huge files are refused before a byte is read.
     */
    private static byte[] readFile(Path file, java.io.Serializable namedBy) {
        try {
            if (!Files.exists(file)) {
                throw ImageGateException.configuration(
                        "policy.missing",
                        "the policy file {0} ({1}) does not exist",
                        file,
                        namedBy);
            }
            if (!Files.isRegularFile(file)) {
                throw ImageGateException.configuration(
                        "policy.not-file",
                        "the policy file {0} ({1}) is not a regular file",
                        file,
                        namedBy);
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
                if (bytes.length > MAX_FILE_BYTES) {
                    throw ImageGateException.configuration(
                            "policy.too-large",
                            "the policy file {0} ({1}) is larger than {2} bytes; a"
                                    + " policy is a page or two",
                            file,
                            namedBy,
                            MAX_FILE_BYTES);
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw ImageGateException.configuration(
                    "policy.missing", "the policy file {0} ({1}) does not exist", file, namedBy);
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "policy.unreadable",
                    "cannot read the policy file {0}: {1}",
                    file,
                    String.valueOf(e.getMessage()));
        }
    }

    /** Parses policy bytes (YAML, or JSON); {@code file} names them in errors. */
    public static Policy parse(byte[] bytes, Path file, boolean json) {
        ObjectMapper mapper =
                (json ? JsonMapper.builder() : YAMLMapper.builder(new YAMLFactory()))
                        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                        .enable(
                                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                                        DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY,
                                DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build();
        String text = new String(bytes, StandardCharsets.UTF_8);
        try (JsonParser parser = mapper.createParser(bytes)) {
            if (parser.nextToken() == null) {
                throw ImageGateException.configuration(
                        "policy.empty", "the policy file {0} is empty", file);
            }
            Policy parsed = mapper.readValue(parser, Policy.class);
            if (parsed == null) {
                throw ImageGateException.configuration(
                        "policy.empty", "the policy file {0} is empty", file);
            }
            JsonToken after = parser.nextToken();
            if (after != null) {
                JsonLocation at = parser.currentLocation();
                throw ImageGateException.configuration(
                        "policy.second-document",
                        "the policy file {0} line {1} holds a second document;"
                                + " a policy file holds exactly one",
                        file,
                        at == null ? "?" : String.valueOf(at.getLineNr()));
            }
            // Key files are named relative to the policy file and read once the whole file parsed.
            // The canonical digest is that of the policy as written (parsed computed it): naming
            // another key changes it, editing a key file in place does not (docs/vetting.md).
            Path base = file.toAbsolutePath().getParent();
            List<String> keys =
                    parsed.verdictKeys().stream()
                            .map(k -> base == null ? k : base.resolve(k).toString())
                            .toList();
            SignaturePolicy signatures =
                    parsed.signatures() == null ? null : parsed.signatures().loadKeys(file);
            return new Policy(
                    parsed.failOn(),
                    parsed.maxCounts(),
                    parsed.ignoreUnfixed(),
                    parsed.maxDbAge(),
                    parsed.maxVerdictAge(),
                    parsed.allowlist(),
                    parsed.emptyScans(),
                    keys,
                    signatures,
                    parsed.digest(),
                    Digest.sha256(bytes).toString());
        } catch (JsonMappingException e) {
            throw ImageGateException.configuration(
                    "policy.invalid", "the policy file {0}{1}", file, describe(e, text));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String problem = e.getOriginalMessage();
            if (problem != null && problem.startsWith("Duplicate field")) {
                problem =
                        "duplicate key "
                                + problem.replaceAll("(?s).*'([^']*)'.*", "\"$1\"")
                                + "; each key once";
            }
            throw ImageGateException.configuration(
                    "policy.syntax",
                    "the policy file {0}{1} is not valid {2}: {3}",
                    file,
                    at == null ? "" : " line " + at.getLineNr(),
                    json ? "JSON" : "YAML",
                    problem);
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "policy.unreadable",
                    "cannot read the policy file {0}: {1}",
                    file,
                    String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            if (e instanceof ImageGateException ige) {
                throw ige;
            }
            // SnakeYAML reports some malformed documents (deep nesting, bad aliases) as its own
            // runtime exceptions.
            throw ImageGateException.configuration(
                    "policy.syntax",
                    "the policy file {0} is not valid {1}: {2}",
                    file,
                    json ? "JSON" : "YAML",
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static String describe(JsonMappingException e, String text) {
        // Jackson's location is where the parser stopped, often past the value: find the key's own
        // line.
        String key =
                e.getPath().isEmpty()
                        ? null
                        : e.getPath().get(e.getPath().size() - 1).getFieldName();
        int line = key == null ? -1 : lineOf(text, key);
        JsonLocation at = line > 0 ? null : e.getLocation();
        String path =
                e.getPath().stream()
                        .map(
                                ref ->
                                        ref.getFieldName() != null
                                                ? ref.getFieldName()
                                                : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining("."))
                        .replace(".[", "[");
        String problem;
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            problem =
                    "unknown key \""
                            + unknown.getPropertyName()
                            + "\" (known: failOn, maxCounts, ignoreUnfixed, maxDbAge, maxVerdictAge,"
                            + " allowEmptyScan, verdictKeys, allowlist, signatures; allowlist entries: id, package, image, reason, expires;"
                            + " allowEmptyScan entries: image, reason, expires;"
                            + " signatures: required, keys, keyless; keyless: trustedRoot, identities; identities: subject, subjectRegExp,"
                            + " issuer, issuerRegExp)";
        } else if (e.getCause() instanceof IllegalArgumentException bad) {
            problem = bad.getMessage();
        } else if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException format) {
            problem =
                    "\""
                            + format.getValue()
                            + "\" is not a valid value"
                            + (format.getTargetType() == Severity.class
                                    ? "; use UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL"
                                    : "")
                            + (format.getTargetType() == Integer.class
                                            || format.getTargetType() == int.class
                                    ? "; use a whole number"
                                    : "");
        } else if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                && mismatch.getOriginalMessage().startsWith("Missing required creator property")) {
            problem =
                    "missing key "
                            + mismatch.getOriginalMessage().replaceAll(".*'(\\w+)'.*", "\"$1\"");
        } else if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException
                && path.equals("allowEmptyScan")) {
            // its creators take true, false or a list: Jackson names whichever it tried last
            problem =
                    "the value has the wrong type; expected true, false, or a list of entries,"
                            + " each an image glob and a reason";
        } else if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                && mismatch.getTargetType() != null) {
            Class<?> type = mismatch.getTargetType();
            problem =
                    "the value has the wrong type; expected "
                            + (type == Severity.class
                                    ? "a severity (UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL)"
                                    : type == Integer.class || type == int.class
                                            ? "a whole number"
                                            : type == Boolean.class || type == boolean.class
                                                    ? "true or false"
                                                    : type == String.class
                                                            ? "text"
                                                            : type.getSimpleName()
                                                                    .toLowerCase(Locale.ROOT));
        } else if (e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("Duplicate field")) {
            // within a nested section (signatures, an allowlist entry) the parser reports it as a
            // mapping problem
            problem =
                    "duplicate key "
                            + e.getOriginalMessage().replaceAll("(?s).*'([^']*)'.*", "\"$1\"")
                            + "; each key once";
        } else {
            problem = e.getOriginalMessage();
        }
        String where = line > 0 ? " line " + line : at == null ? "" : " line " + at.getLineNr();
        return where + (path.isEmpty() ? "" : ", key " + path) + ": " + problem;
    }

    /**
     * The 1-based line where {@code key} is written as a key (YAML {@code key:} or JSON {@code
     * "key":}), or -1.
     */
    private static int lineOf(String text, String key) {
        Pattern keyPattern =
                Pattern.compile("^\\s*(?:-\\s*)?\"?" + Pattern.quote(key) + "\"?\\s*:");
        List<String> lines = text.lines().limit(100_000).toList();
        for (int i = 0; i < lines.size(); i++) {
            if (keyPattern.matcher(lines.get(i)).find()) {
                return i + 1;
            }
        }
        return -1;
    }
}
