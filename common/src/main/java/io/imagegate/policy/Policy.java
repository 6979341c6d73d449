package io.imagegate.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.imagegate.ImageGateException;
import io.imagegate.reference.Digest;
import io.imagegate.scan.Severity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The policy findings are judged against; one file format (YAML or JSON) for the CLI, Maven and Jenkins.
 *
 * <pre>
 * failOn: HIGH             # a finding of this severity or above fails
 * maxCounts: {MEDIUM: 10}  # optional: more than this many findings of a severity fail
 * ignoreUnfixed: true      # findings without a fixed version do not count
 * maxDbAge: 7d             # the vulnerability DB must be younger (d, h, or ISO-8601 like P7D)
 * allowlist:
 *   - id: CVE-2024-1234
 *     package: openssl     # optional glob
 *     image: "registry.example.com/base/*"   # optional glob
 *     reason: not reachable in our use
 *     expires: 2027-01-31
 * </pre>
 */
public record Policy(
        @JsonProperty("failOn") Severity failOn,
        @JsonProperty("maxCounts") Map<Severity, Integer> maxCounts,
        @JsonProperty("ignoreUnfixed") Boolean ignoreUnfixed,
        @JsonProperty("maxDbAge") String maxDbAge,
        @JsonProperty("allowlist") List<AllowlistEntry> allowlist,
        @JsonProperty(value = "digest", access = JsonProperty.Access.READ_ONLY) String digest) {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*([dh])");

    public Policy {
        failOn = failOn == null ? Severity.HIGH : failOn;
        ignoreUnfixed = ignoreUnfixed != null && ignoreUnfixed;
        maxCounts = maxCounts == null ? Map.of() : Map.copyOf(maxCounts);
        for (Map.Entry<Severity, Integer> e : maxCounts.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("maxCounts." + e.getKey() + " must be a count of 0 or more");
            }
        }
        allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
        if (maxDbAge != null) {
            parseDuration(maxDbAge);
        }
        digest = digest == null ? "" : digest;
    }

    /** Whether findings without a fixed version are left out. */
    public boolean ignoresUnfixed() {
        return ignoreUnfixed;
    }

    /** The default when no policy file is given: fail on HIGH and CRITICAL. */
    public static Policy defaults() {
        return new Policy(Severity.HIGH, Map.of(), false, null, List.of(), Digest.sha256("failOn: HIGH\n").toString());
    }

    public Optional<Duration> maxDbAgeDuration() {
        return Optional.ofNullable(maxDbAge).map(Policy::parseDuration);
    }

    static Duration parseDuration(String text) {
        Matcher m = SHORT_DURATION.matcher(text.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return m.group(2).equals("d") ? Duration.ofDays(n) : Duration.ofHours(n);
        }
        try {
            String iso = text.strip().toUpperCase(java.util.Locale.ROOT);
            if (iso.matches("P\\d+D")) {
                return Duration.ofDays(Long.parseLong(iso.substring(1, iso.length() - 1)));
            }
            return Duration.parse(iso);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("maxDbAge \"" + text + "\" is not a duration; use e.g. 7d, 36h or P7D");
        }
    }

    /** Loads a policy file (YAML, or JSON by the {@code .json} extension); errors name the file, line and key. */
    public static Policy load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageGateException("the policy file " + file + " does not exist");
        } catch (IOException e) {
            throw new ImageGateException("cannot read the policy file " + file + ": " + e.getMessage());
        }
        ObjectMapper mapper = file.toString().endsWith(".json")
                ? JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS).build()
                : YAMLMapper.builder(new YAMLFactory()).enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS).build();
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        try {
            Policy parsed = mapper.readValue(bytes, Policy.class);
            if (parsed == null) {
                throw new ImageGateException("the policy file " + file + " is empty");
            }
            return new Policy(parsed.failOn(), parsed.maxCounts(), parsed.ignoreUnfixed(), parsed.maxDbAge(), parsed.allowlist(),
                    Digest.sha256(bytes).toString());
        } catch (JsonMappingException e) {
            throw new ImageGateException("the policy file " + file + describe(e, new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ImageGateException("the policy file " + file + (at == null ? "" : " line " + at.getLineNr())
                    + " is not valid " + (file.toString().endsWith(".json") ? "JSON" : "YAML") + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ImageGateException("cannot read the policy file " + file + ": " + e.getMessage());
        }
    }

    private static String describe(JsonMappingException e, String text) {
        // Jackson's location is where the parser stopped, often past the value: find the key's own line.
        String key = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
        int line = key == null ? -1 : lineOf(text, key);
        JsonLocation at = line > 0 ? null : e.getLocation();
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String problem;
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            problem = "unknown key \"" + unknown.getPropertyName() + "\" (known: failOn, maxCounts, ignoreUnfixed, maxDbAge, allowlist;"
                    + " allowlist entries: id, package, image, reason, expires)";
        } else if (e.getCause() instanceof IllegalArgumentException bad) {
            problem = bad.getMessage();
        } else if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException format) {
            problem = "\"" + format.getValue() + "\" is not a valid value"
                    + (format.getTargetType() == Severity.class ? "; use UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL" : "");
        } else if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                && mismatch.getOriginalMessage().startsWith("Missing required creator property")) {
            problem = "missing key " + mismatch.getOriginalMessage().replaceAll(".*'(\\w+)'.*", "\"$1\"");
        } else {
            problem = e.getOriginalMessage();
        }
        String where = line > 0 ? " line " + line : at == null ? "" : " line " + at.getLineNr();
        return where + (path.isEmpty() ? "" : ", key " + path) + ": " + problem;
    }

    /** The 1-based line where {@code key} is written as a key (YAML {@code key:} or JSON {@code "key":}), or -1. */
    private static int lineOf(String text, String key) {
        Pattern keyPattern = Pattern.compile("^\\s*(?:-\\s*)?\"?" + Pattern.quote(key) + "\"?\\s*:");
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (keyPattern.matcher(lines.get(i)).find()) {
                return i + 1;
            }
        }
        return -1;
    }
}
