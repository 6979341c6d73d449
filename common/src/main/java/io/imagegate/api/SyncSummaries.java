package io.imagegate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The summaries shards of one sync write ({@code sync --summary-json}, the sync's JSON document),
 * merged into one result: every image of every shard, the worst outcome. Fails closed: summaries of
 * different sync files (or of one file that changed between shards), of different shard counts, or
 * one shard summarized twice are refused; a shard without a summary, or a file whose images the
 * summaries do not all account for, is an error, never a pass.
 */
public final class SyncSummaries {
    /** A summary larger than this is not one imagegate wrote (10,000 images with findings). */
    static final long MAX_BYTES = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SyncSummaries() {}

    /** One summary as read back. */
    private record Read(
            Path file,
            String fileDigest,
            String syncFile,
            int images,
            int index,
            int count,
            SyncResult result) {}

    /** Merges the summaries in {@code files} (relative to {@code env}'s working directory). */
    public static SyncResult merge(List<String> files, Environment env) {
        if (files.isEmpty()) {
            throw ImageGateException.configuration(
                    "sync-report.none",
                    "no summary given; name the files sync --summary-json wrote");
        }
        List<Read> read = new ArrayList<>();
        for (String name : files) {
            read.add(read(Path.of(env.workingDirectory()).resolve(name)));
        }
        Read first = read.get(0);
        Map<Integer, Path> byIndex = new TreeMap<>();
        for (Read r : read) {
            if (!r.fileDigest().equals(first.fileDigest())) {
                throw ImageGateException.configuration(
                        "sync-report.other-file",
                        "{0} summarizes the sync file {1} ({2}), but {3} the file {4} ({5}): shards of one"
                                + " run read the same file; merge the summaries of one run",
                        r.file(),
                        r.syncFile(),
                        r.fileDigest(),
                        first.file(),
                        first.syncFile(),
                        first.fileDigest());
            }
            if (r.count() != first.count()) {
                throw ImageGateException.configuration(
                        "sync-report.other-count",
                        "{0} is shard {1}/{2}, but {3} is shard {4}/{5}: the shards of one run split the"
                                + " file the same way",
                        r.file(),
                        r.index(),
                        r.count(),
                        first.file(),
                        first.index(),
                        first.count());
            }
            Path twice = byIndex.putIfAbsent(r.index(), r.file());
            if (twice != null) {
                throw ImageGateException.configuration(
                        "sync-report.twice",
                        "shard {0}/{1} is summarized twice, in {2} and in {3}; give each shard''s summary once",
                        r.index(),
                        r.count(),
                        twice,
                        r.file());
            }
        }
        List<SyncResult.Entry> entries = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        Optional<ImageGateException> error = Optional.empty();
        for (Read r : read) {
            entries.addAll(r.result().entries());
            outcomes.add(r.result().outcome());
            if (error.isEmpty() && r.result().error().isPresent()) {
                ImageGateException e = r.result().error().get();
                error =
                        Optional.of(
                                ImageGateException.of(
                                        e.kind(),
                                        "sync-report.shard-error",
                                        "shard {0}/{1} ({2}): {3}",
                                        r.index(),
                                        r.count(),
                                        r.file(),
                                        e.message()
                                                .render(io.imagegate.message.Vocabulary.NEUTRAL)));
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < first.count(); i++) {
            if (!byIndex.containsKey(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            outcomes.add(Outcome.ERROR);
            error =
                    Optional.of(
                            ImageGateException.of(
                                    ErrorKind.CONFIGURATION,
                                    "sync-report.missing",
                                    "{0} of the {1} shards have no summary ({2}): their images were not"
                                            + " reported, which is never a pass; run those shards again (or find their summaries)",
                                    missing.size(),
                                    first.count(),
                                    "shard " + join(missing) + " of " + first.count()));
        } else if (entries.size() != first.images() && error.isEmpty()) {
            outcomes.add(Outcome.ERROR);
            error =
                    Optional.of(
                            ImageGateException.integrity(
                                    "sync-report.count",
                                    "the sync file {0} lists {1} images, but the summaries report {2}; refused"
                                            + " rather than judged on some of them",
                                    first.syncFile(),
                                    first.images(),
                                    entries.size()));
        }
        Outcome outcome = Outcome.worst(outcomes);
        return new SyncResult(
                outcome,
                outcome == Outcome.ERROR ? error : Optional.empty(),
                entries,
                new SyncResult.Run(
                        first.syncFile(),
                        first.fileDigest(),
                        first.images(),
                        0,
                        first.count(),
                        new ArrayList<>(byIndex.keySet())));
    }

    private static String join(List<Integer> indexes) {
        return String.join(", ", indexes.stream().map(String::valueOf).toList());
    }

    private static Read read(Path file) {
        JsonNode root;
        try {
            if (!Files.isRegularFile(file)) {
                throw notASummary(file, "it does not exist or is not a regular file");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                throw notASummary(file, "it is larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            root = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw notASummary(file, "it is not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw notASummary(file, "it cannot be read (" + e.getMessage() + ")");
        }
        if (root == null
                || !root.isObject()
                || !"sync".equals(root.path("command").asText())
                || !root.path("entries").isArray()
                || !root.path("shard").isObject()) {
            throw notASummary(file, "it is not the JSON document of a sync");
        }
        int count = root.path("shard").path("count").asInt(0);
        int index = root.path("shard").path("index").asInt(-1);
        String digest = root.path("syncFileDigest").asText("");
        if (digest.isEmpty() || count < 1 || index < 0 || index >= count) {
            throw notASummary(
                    file,
                    "it names no sync file digest or shard (the sync failed before it read its"
                            + " file: see its log)");
        }
        List<SyncResult.Entry> entries = new ArrayList<>();
        for (JsonNode e : root.path("entries")) {
            entries.add(entry(file, e));
        }
        Outcome outcome = outcome(file, root.path("outcome").asText());
        Optional<ImageGateException> error =
                root.hasNonNull("error")
                        ? Optional.of(error(root))
                        : outcome == Outcome.ERROR
                                ? Optional.of(
                                        ImageGateException.of(
                                                ErrorKind.INTERNAL,
                                                "sync-report.unexplained",
                                                "the shard failed without saying why"))
                                : Optional.empty();
        return new Read(
                file,
                digest,
                root.path("syncFile").asText(""),
                root.path("imagesInFile").asInt(-1),
                index,
                count,
                new SyncResult(outcome, error, entries));
    }

    private static SyncResult.Entry entry(Path file, JsonNode e) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        e.path("counts")
                .fields()
                .forEachRemaining(f -> counts.put(f.getKey(), f.getValue().asInt()));
        return new SyncResult.Entry(
                e.path("source").asText(),
                e.path("target").asText(),
                outcome(file, e.path("outcome").asText()),
                e.hasNonNull("error") ? Optional.of(error(e)) : Optional.empty(),
                e.path("previousDigest").asText(""),
                e.path("digest").asText(""),
                e.path("changed").asBoolean(),
                e.path("vetted").asBoolean(),
                strings(e.path("fixed")),
                strings(e.path("introduced")),
                e.path("rescanned").asBoolean(),
                e.path("newlyFailing").asBoolean(),
                e.path("becameClean").asBoolean(),
                strings(e.path("findings")),
                counts,
                e.path("policyDigest").asText(""),
                e.path("verdictCreated").asText(""));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** An outcome as a summary writes it; anything else is no summary of ours. */
    private static Outcome outcome(Path file, String name) {
        try {
            return Outcome.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw notASummary(file, "it holds the outcome \"" + name + "\"");
        }
    }

    /** The error a summary recorded, as it was rendered there. */
    private static ImageGateException error(JsonNode node) {
        ErrorKind kind;
        try {
            kind = ErrorKind.valueOf(node.path("errorKind").asText());
        } catch (IllegalArgumentException e) {
            kind = ErrorKind.INTERNAL;
        }
        return new ImageGateException(
                kind, Message.of("sync-report.recorded", "{0}", node.path("error").asText()));
    }

    private static ImageGateException notASummary(Path file, String why) {
        return ImageGateException.configuration(
                "sync-report.not-a-summary",
                "{0} is not a summary written by sync --summary-json: {1}",
                file,
                why);
    }
}
