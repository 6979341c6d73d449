package io.imagegate.vetting;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The sync file: which upstream images are kept vetted under which trusted names.
 *
 * <pre>
 * policy: policy.yaml          # optional: the policy for every image without its own (relative to this file)
 * quarantine: quarantine       # optional: the quarantine prefix
 * rescanAfter: 24h             # optional: scan unchanged images again, in place, once their verdict is this old
 * images:
 *   - source: docker.io/library/alpine:3.20
 *     target: registry.example.com/base/alpine:3.20
 *     platforms: [linux/amd64, linux/arm64]   # optional
 *     policy: strict.yaml                     # optional
 *     rescanAfter: 6h                         # optional
 * </pre>
 *
 * <p>An entry with {@code tags} (its source naming no tag) is a rule over upstream tags ({@link
 * TagRules}); with {@code *} it is a rule over repositories too. {@code credentialSets} name where
 * a rule's source credentials come from (never the secrets themselves); {@code anonymous} lists
 * registries read without stored credentials.
 */
public record SyncFile(
        @JsonProperty("policy") String policy,
        @JsonProperty("quarantine") String quarantine,
        @JsonProperty("images") List<Entry> images,
        @JsonProperty("rescanAfter") Located rescanAfter,
        @JsonProperty("credentialSets") java.util.Map<String, CredentialSet> credentialSets,
        @JsonProperty("anonymous") List<String> anonymous) {
    public static final int MAX_BYTES = 4 * 1024 * 1024;
    public static final int MAX_IMAGES = 10_000;

    /**
     * One image to keep vetted, or a rule that selects images ({@link #isRule()}).
     *
     * @param credentialSet the name of the credential set the source's registry is read with
     * @param tags which upstream tags a rule selects
     * @param repositories the repositories a wildcard rule covers (where the registry has no
     *     catalog)
     * @param line the line of the sync file the entry starts on, for messages; 0 when not read from
     *     a file
     */
    public record Entry(
            @JsonProperty("source") String source,
            @JsonProperty("target") String target,
            @JsonProperty("platforms") List<String> platforms,
            @JsonProperty("policy") String policy,
            @JsonProperty("rescanAfter") Located rescanAfter,
            @JsonProperty("credentialSet") String credentialSet,
            @JsonProperty("tags") TagRules.Filter tags,
            @JsonProperty("repositories") List<String> repositories,
            @com.fasterxml.jackson.annotation.JsonIgnore int line) {
        public Entry {
            platforms = platforms == null ? List.of() : List.copyOf(platforms);
            repositories = repositories == null ? null : List.copyOf(repositories);
        }

        public Entry(String source, String target, List<String> platforms, String policy) {
            this(source, target, platforms, policy, null, null, null, null, 0);
        }

        /** As read from a file: the line is added once the whole file has been read. */
        @com.fasterxml.jackson.annotation.JsonCreator
        static Entry read(
                @JsonProperty("source") String source,
                @JsonProperty("target") String target,
                @JsonProperty("platforms") List<String> platforms,
                @JsonProperty("policy") String policy,
                @JsonProperty("rescanAfter") Located rescanAfter,
                @JsonProperty("credentialSet") String credentialSet,
                @JsonProperty("tags") TagRules.Filter tags,
                @JsonProperty("repositories") List<String> repositories) {
            return new Entry(
                    source,
                    target,
                    platforms,
                    policy,
                    rescanAfter,
                    credentialSet,
                    tags,
                    repositories,
                    0);
        }

        /**
         * Whether this entry is a rule: it selects tags ({@code tags}), or repositories ({@code
         * *}). A source without a tag and without {@code tags} is still that image's {@code
         * latest}, as before rules.
         */
        public boolean isRule() {
            return tags != null || (source != null && source.contains("*"));
        }

        /** This entry, read from {@code lineNumber}. */
        Entry atLine(int lineNumber) {
            return new Entry(
                    source,
                    target,
                    platforms,
                    policy,
                    rescanAfter,
                    credentialSet,
                    tags,
                    repositories,
                    lineNumber);
        }

        /**
         * One image a rule selected: this rule's settings, for {@code source} and {@code target}.
         */
        public Entry selected(String imageSource, String imageTarget) {
            return new Entry(
                    imageSource,
                    imageTarget,
                    platforms,
                    policy,
                    rescanAfter,
                    credentialSet,
                    null,
                    null,
                    line);
        }
    }

    /**
     * Where a credential set's credentials come from: {@code env: USER_VAR:PASSWORD_VAR} (or one
     * variable holding {@code user:password}), or {@code dockerConfig: true} (Docker's config and
     * its credential helpers). Never the secret itself.
     */
    public record CredentialSet(
            @JsonProperty("env") String env, @JsonProperty("dockerConfig") Boolean dockerConfig) {}

    /**
     * A scalar as written and the 1-based line it is written on, so that a value that turns out
     * wrong later (a {@code rescanAfter} that is no duration) is named where a person looks for it.
     */
    @JsonDeserialize(using = Located.Reader.class)
    public record Located(String text, int line) {
        /** Reads a string or number scalar; anything else is the file's error. */
        static final class Reader extends JsonDeserializer<Located> {
            @Override
            public Located deserialize(JsonParser p, DeserializationContext ctxt)
                    throws IOException {
                JsonToken token = p.currentToken();
                if (token != JsonToken.VALUE_STRING && !token.isNumeric()) {
                    return (Located) ctxt.handleUnexpectedToken(Located.class, p);
                }
                return new Located(p.getText(), p.currentTokenLocation().getLineNr());
            }
        }
    }

    public SyncFile {
        images = images == null ? List.of() : List.copyOf(images);
        credentialSets =
                credentialSets == null
                        ? java.util.Map.of()
                        : java.util.Collections.unmodifiableMap(
                                new java.util.LinkedHashMap<>(credentialSets));
        anonymous = anonymous == null ? List.of() : List.copyOf(anonymous);
    }

    public SyncFile(String policy, String quarantine, List<Entry> images) {
        this(policy, quarantine, images, null, null, null);
    }

    /** This sync file with {@code entries} as its images (rules expanded). */
    public SyncFile withImages(List<Entry> entries) {
        return new SyncFile(policy, quarantine, entries, rescanAfter, credentialSets, anonymous);
    }

    /**
     * Reads a sync file strictly: unknown or duplicate keys, a second document and a missing source
     * or target are errors.
     */
    public static SyncFile load(Path file) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw ImageGateException.configuration(
                        "sync.missing",
                        "the sync file {0} ({1}) does not exist or is not a regular file",
                        file,
                        Field.SYNC_FILE);
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "sync.unreadable",
                    "cannot read the sync file {0}: {1}",
                    file,
                    String.valueOf(e.getMessage()));
        }
        if (bytes.length > MAX_BYTES) {
            throw ImageGateException.configuration(
                    "sync.too-large",
                    "the sync file {0} is larger than {1} bytes",
                    file,
                    MAX_BYTES);
        }
        ObjectMapper mapper =
                YAMLMapper.builder(new YAMLFactory())
                        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                        .enable(
                                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                                DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build();
        try (JsonParser parser = mapper.createParser(bytes)) {
            if (parser.nextToken() == null) {
                throw ImageGateException.configuration(
                        "sync.empty", "the sync file {0} is empty", file);
            }
            SyncFile parsed = mapper.readValue(parser, SyncFile.class);
            if (parser.nextToken() != null) {
                throw ImageGateException.configuration(
                        "sync.second-document", "the sync file {0} holds a second document", file);
            }
            if (parsed.images().isEmpty()) {
                throw ImageGateException.configuration(
                        "sync.no-images", "the sync file {0} lists no images", file);
            }
            for (int i = 0; i < parsed.images().size(); i++) {
                Entry e = parsed.images().get(i);
                if (e == null
                        || e.source() == null
                        || e.source().isBlank()
                        || e.target() == null
                        || e.target().isBlank()) {
                    throw ImageGateException.configuration(
                            "sync.incomplete",
                            "the sync file {0}, images[{1}]: every image needs a source"
                                    + " and a target",
                            file,
                            i);
                }
            }
            if (parsed.images().size() > MAX_IMAGES) {
                throw ImageGateException.configuration(
                        "sync.too-many",
                        "the sync file {0} lists more than {1} images",
                        file,
                        MAX_IMAGES);
            }
            List<Integer> lines = entryLines(mapper, bytes);
            List<Entry> withLines = new java.util.ArrayList<>();
            for (int i = 0; i < parsed.images().size(); i++) {
                withLines.add(parsed.images().get(i).atLine(i < lines.size() ? lines.get(i) : 0));
            }
            SyncFile located = parsed.withImages(withLines);
            TagRules.check(file, located);
            return located;
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            // Jackson's location is past the value; the key's own line is what a person looks for.
            int line =
                    lineOf(
                            new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                            e.getPropertyName());
            if (e.getPath().stream().anyMatch(r -> "credentialSets".equals(r.getFieldName()))) {
                throw ImageGateException.configuration(
                        "sync.credential-set-key",
                        "the sync file {0}{1}: a credential set names where credentials come from,"
                                + " never the secret: \"{2}\" is refused; write env:"
                                + " USER_VAR:PASSWORD_VAR (variables that hold them) or dockerConfig:"
                                + " true",
                        file,
                        line > 0 ? " line " + line : "",
                        e.getPropertyName());
            }
            throw ImageGateException.configuration(
                    "sync.unknown-key",
                    "the sync file {0}{1}: unknown key \"{2}\" (known: policy,"
                            + " quarantine, rescanAfter, images, credentialSets, anonymous; for each image:"
                            + " source, target, platforms, policy, rescanAfter, credentialSet, tags,"
                            + " repositories;"
                            + " in tags: semver, allow, deny, latest)",
                    file,
                    line > 0 ? " line " + line : "",
                    e.getPropertyName());
        } catch (JsonMappingException e) {
            String path =
                    e.getPath().stream()
                            .map(
                                    r ->
                                            r.getFieldName() != null
                                                    ? r.getFieldName()
                                                    : "[" + r.getIndex() + "]")
                            .collect(Collectors.joining("."))
                            .replace(".[", "[");
            JsonLocation at = e.getLocation();
            throw ImageGateException.configuration(
                    "sync.invalid",
                    "the sync file {0}{1}{2}: {3}",
                    file,
                    at == null ? "" : " line " + at.getLineNr(),
                    path.isEmpty() ? "" : ", key " + path,
                    e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ImageGateException.configuration(
                    "sync.syntax",
                    "the sync file {0}{1} is not valid YAML: {2}",
                    file,
                    at == null ? "" : " line " + at.getLineNr(),
                    e.getOriginalMessage());
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "sync.unreadable",
                    "cannot read the sync file {0}: {1}",
                    file,
                    String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            if (e instanceof ImageGateException ige) {
                throw ige;
            }
            throw ImageGateException.configuration(
                    "sync.syntax",
                    "the sync file {0} is not valid YAML: {1}",
                    file,
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /**
     * The line each element of the top-level {@code images} list starts on, in order: read from the
     * parser's locations, as the records themselves do not keep them.
     */
    private static List<Integer> entryLines(ObjectMapper mapper, byte[] bytes) throws IOException {
        List<Integer> lines = new java.util.ArrayList<>();
        try (JsonParser p = mapper.createParser(bytes)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return lines;
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                if ("images".equals(name)
                        && value == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                        lines.add(p.currentTokenLocation().getLineNr());
                        p.skipChildren();
                    }
                    return lines;
                }
                p.skipChildren();
            }
        }
        return lines;
    }

    /** The 1-based line where {@code key} is written as a key, or -1. */
    private static int lineOf(String text, String key) {
        java.util.regex.Pattern keyPattern =
                java.util.regex.Pattern.compile(
                        "^\\s*(?:-\\s*)?\"?" + java.util.regex.Pattern.quote(key) + "\"?\\s*:");
        List<String> lines = text.lines().limit(200_000).toList();
        for (int i = 0; i < lines.size(); i++) {
            if (keyPattern.matcher(lines.get(i)).find()) {
                return i + 1;
            }
        }
        return -1;
    }
}
