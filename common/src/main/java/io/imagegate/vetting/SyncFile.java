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
 */
public record SyncFile(
        @JsonProperty("policy") String policy,
        @JsonProperty("quarantine") String quarantine,
        @JsonProperty("images") List<Entry> images,
        @JsonProperty("rescanAfter") Located rescanAfter) {
    public static final int MAX_BYTES = 4 * 1024 * 1024;
    public static final int MAX_IMAGES = 10_000;

    /** One image to keep vetted. */
    public record Entry(
            @JsonProperty("source") String source,
            @JsonProperty("target") String target,
            @JsonProperty("platforms") List<String> platforms,
            @JsonProperty("policy") String policy,
            @JsonProperty("rescanAfter") Located rescanAfter) {
        public Entry {
            platforms = platforms == null ? List.of() : List.copyOf(platforms);
        }

        public Entry(String source, String target, List<String> platforms, String policy) {
            this(source, target, platforms, policy, null);
        }
    }

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
            return parsed;
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            // Jackson's location is past the value; the key's own line is what a person looks for.
            int line =
                    lineOf(
                            new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                            e.getPropertyName());
            throw ImageGateException.configuration(
                    "sync.unknown-key",
                    "the sync file {0}{1}: unknown key \"{2}\" (known: policy,"
                            + " quarantine, rescanAfter, images; for each image: source, target, platforms, policy,"
                            + " rescanAfter)",
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
