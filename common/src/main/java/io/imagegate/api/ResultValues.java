package io.imagegate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.message.Vocabulary;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * An operation's result as plain values (maps, lists, strings, numbers, booleans) in the one shape
 * every front end hands on: the CLI's {@code --json} document and the map a Jenkins step returns
 * (docs/cli.md, "JSON output"). Built here once so the front ends cannot drift apart; each adds
 * only what is its own (the CLI its schema version and command, Jenkins the build result). Maps
 * keep their keys in a fixed order, counts list severities worst first.
 */
public final class ResultValues {
    /**
     * The version of the shape; raised when a key changes meaning or disappears, never for a key
     * added.
     */
    public static final int SCHEMA_VERSION = 1;

    /** Severities from worst to least, as counts list them. */
    public static final List<String> SEVERITIES =
            List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vocabulary vocabulary;
    private final UnaryOperator<String> paths;

    private ResultValues(Vocabulary vocabulary, UnaryOperator<String> paths) {
        this.vocabulary = vocabulary;
        this.paths = paths;
    }

    /**
     * Values in a front end's words: messages rendered through its vocabulary, file paths
     * (Dockerfiles, reports) as it writes them (Jenkins: relative to the workspace).
     */
    public static ResultValues in(Vocabulary vocabulary, UnaryOperator<String> paths) {
        return new ResultValues(vocabulary, paths);
    }

    /**
     * File paths as front ends write them: a file inside {@code directory} relative to it ({@code
     * /}-separated), as the plugin names files in its workspace and the CLI in its current
     * directory; any other as it is.
     */
    public static UnaryOperator<String> relativeTo(String directory) {
        Path base = directory == null ? null : Path.of(directory).toAbsolutePath().normalize();
        return file -> {
            if (base == null) {
                return file;
            }
            try {
                Path path = base.resolve(file).toAbsolutePath().normalize();
                return path.startsWith(base) && !path.equals(base)
                        ? base.relativize(path).toString().replace(java.io.File.separatorChar, '/')
                        : file;
            } catch (InvalidPathException e) {
                return file;
            }
        };
    }

    /**
     * The result's values. An error is {@code outcome}, {@code error}, {@code errorKind} and {@code
     * retryable} only; a sync keeps its entries, since the error is one image's.
     */
    public LinkedHashMap<String, Object> of(OperationResult result) {
        if (result instanceof SyncResult sync) {
            return sync(sync);
        }
        if (result.outcome() == Outcome.ERROR) {
            return error(result.error().orElseGet(ResultValues::unexplained));
        }
        if (result instanceof ImportResult r) {
            return importImage(r);
        }
        if (result instanceof ScanResult r) {
            return scan(r);
        }
        if (result instanceof VetResult r) {
            return vet(r);
        }
        if (result instanceof RewriteResult r) {
            return rewrite(r);
        }
        if (result instanceof GateResult r) {
            return gate(r);
        }
        if (result instanceof UpdateResult r) {
            return update(r);
        }
        if (result instanceof RefsResult r) {
            return refs(r);
        }
        if (result instanceof VerdictsResult r) {
            return verdicts(r);
        }
        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        values.put("outcome", result.outcome().name());
        return values;
    }

    /**
     * A failure, before or during an operation: what went wrong, its kind, and whether running it
     * again may succeed.
     */
    public LinkedHashMap<String, Object> error(ImageGateException e) {
        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        values.put("outcome", Outcome.ERROR.name());
        putError(values, e, "");
        return values;
    }

    private void putError(Map<String, Object> values, ImageGateException e, String prefix) {
        values.put("error", prefix + e.render(vocabulary));
        values.put("errorKind", e.kind().name());
        values.put("retryable", e.retryable());
    }

    private static ImageGateException unexplained() {
        return ImageGateException.internal(
                "result.no-error", "the operation failed without saying why");
    }

    private static LinkedHashMap<String, Object> base(OperationResult r) {
        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        values.put("outcome", r.outcome().name());
        return values;
    }

    // ---------------------------------------------------------------- per operation

    private LinkedHashMap<String, Object> importImage(ImportResult r) {
        LinkedHashMap<String, Object> values = base(r);
        values.put("target", r.target());
        values.put("digest", r.digest());
        values.put("sourceDigest", r.sourceDigest());
        values.put("mediaType", r.mediaType());
        values.put("platformDigests", new LinkedHashMap<>(new TreeMap<>(r.platformDigests())));
        values.put("upToDate", r.upToDate());
        values.put("copiedBlobs", r.copied().blobs());
        values.put("copiedBytes", r.copied().bytes());
        values.put("mountedBlobs", r.mounted().blobs());
        values.put("presentBlobs", r.present().blobs());
        values.put("referrers", r.referrers());
        values.put("requests", r.requests());
        return values;
    }

    private LinkedHashMap<String, Object> scan(ScanResult r) {
        LinkedHashMap<String, Object> values = base(r);
        values.put("image", r.image());
        values.put("digest", r.digest());
        values.put("verdict", verdict(r.verdicts()));
        values.put("counts", counts(r.verdicts()));
        values.put("reasons", reasons(r.verdicts()));
        values.put("verdicts", verdicts(r.verdicts()));
        values.put("scanner", r.scanner());
        values.put("reports", paths(r.reports()));
        return values;
    }

    private LinkedHashMap<String, Object> vet(VetResult r) {
        LinkedHashMap<String, Object> values = base(r);
        values.put("source", r.source());
        values.put("target", r.target());
        values.put("digest", r.digest());
        values.put("verdict", r.verdict());
        values.put("promoted", r.promoted());
        values.put("alreadyVetted", r.alreadyVetted());
        values.put("verdictStored", r.verdictStored());
        values.put("quarantine", r.quarantine());
        values.put("counts", counts(r.verdicts()));
        values.put("reasons", reasons(r.verdicts()));
        values.put("verdicts", verdicts(r.verdicts()));
        values.put("reports", paths(r.reports()));
        return values;
    }

    private LinkedHashMap<String, Object> rewrite(RewriteResult r) {
        List<Object> files = new ArrayList<>();
        for (RewriteResult.FileChange file : r.files()) {
            LinkedHashMap<String, Object> f = new LinkedHashMap<>();
            f.put("file", paths.apply(file.file()));
            f.put("changed", file.changed());
            f.put("written", file.written());
            f.put("diff", new ArrayList<>(file.diff()));
            f.put("skipped", rendered(file.skipped()));
            files.add(f);
        }
        LinkedHashMap<String, Object> values = base(r);
        values.put("changed", r.changed());
        values.put("files", files);
        return values;
    }

    private LinkedHashMap<String, Object> update(UpdateResult r) {
        List<Object> files = new ArrayList<>();
        for (UpdateResult.FileChange file : r.files()) {
            LinkedHashMap<String, Object> f = new LinkedHashMap<>();
            f.put("file", paths.apply(file.file()));
            f.put("kind", file.kind());
            f.put("changed", file.changed());
            f.put("written", file.written());
            f.put("lines", new ArrayList<>(file.lines()));
            f.put("diff", new ArrayList<>(file.diff()));
            files.add(f);
        }
        List<Object> images = new ArrayList<>();
        for (UpdateResult.Image image : r.images()) {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("image", image.image());
            m.put("changed", image.changed());
            m.put("from", new ArrayList<>(image.from()));
            m.put("digest", image.digest());
            m.put("vettedAt", image.vettedAt());
            m.put("verdict", image.verdict());
            m.put("signer", image.signer());
            m.put("fixed", new ArrayList<>(image.fixed()));
            m.put("introduced", new ArrayList<>(image.introduced()));
            m.put("stillPresent", new ArrayList<>(image.stillPresent()));
            m.put("places", image.places().stream().map(this::place).toList());
            images.add(m);
        }
        LinkedHashMap<String, Object> values = base(r);
        values.put("changed", r.changed());
        values.put("changedFiles", r.changedFiles().stream().map(paths::apply).toList());
        values.put("files", files);
        values.put("images", images);
        values.put("held", rendered(r.held()));
        values.put("patch", r.patchFile().isEmpty() ? "" : paths.apply(r.patchFile()));
        values.put("summaryFile", r.summaryFile().isEmpty() ? "" : paths.apply(r.summaryFile()));
        values.put("renovateDatasource", r.renovateFiles().stream().map(paths::apply).toList());
        values.put("branch", r.branch());
        values.put("commit", r.commit());
        values.put("summary", r.summary());
        return values;
    }

    /** {@code file:line} with the file as the front end writes it. */
    private String place(String place) {
        int colon = place.lastIndexOf(':');
        return colon < 0
                ? paths.apply(place)
                : paths.apply(place.substring(0, colon)) + place.substring(colon);
    }

    private LinkedHashMap<String, Object> gate(GateResult r) {
        List<Object> violations = new ArrayList<>();
        for (GateResult.Violation v : r.violations()) {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("file", paths.apply(v.file()));
            m.put("line", v.line());
            m.put("written", v.written());
            m.put("reference", v.reference() == null ? "" : v.reference());
            m.put("rule", v.rule());
            m.put("reason", v.reason().render(vocabulary));
            m.put("fix", v.fix().render(vocabulary));
            List<Object> fixes = new ArrayList<>();
            for (io.imagegate.message.Fix fix : v.fixes()) {
                LinkedHashMap<String, Object> f = new LinkedHashMap<>();
                f.put("operation", fix.operation().id());
                LinkedHashMap<String, Object> inputs = new LinkedHashMap<>();
                fix.inputs().forEach((field, value) -> inputs.put(field.id(), value));
                f.put("inputs", inputs);
                f.put("command", vocabulary.fix(fix));
                fixes.add(f);
            }
            m.put("fixes", fixes);
            v.edit()
                    .ifPresent(
                            e -> {
                                LinkedHashMap<String, Object> edit = new LinkedHashMap<>();
                                edit.put("what", e.what());
                                edit.put("file", paths.apply(e.file()));
                                edit.put("line", e.line());
                                edit.put("value", e.value());
                                m.put("edit", edit);
                            });
            violations.add(m);
        }
        LinkedHashMap<String, Object> values = base(r);
        values.put("checked", r.checked());
        values.put("violations", violations);
        values.put("summary", r.summary());
        return values;
    }

    private LinkedHashMap<String, Object> refs(RefsResult r) {
        List<Object> references = new ArrayList<>();
        for (Reference ref : r.references()) {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("file", paths.apply(ref.file()));
            m.put("line", ref.line());
            m.put("column", ref.column());
            m.put("endLine", ref.endLine());
            m.put("endColumn", ref.endColumn());
            m.put("kind", ref.kind());
            m.put("written", ref.written());
            ref.reference().ifPresent(s -> m.put("reference", s));
            m.put("pinned", ref.pinned());
            ref.problem()
                    .ifPresent(
                            p -> {
                                m.put("error", p.render(vocabulary));
                                m.put("errorCode", p.code());
                            });
            references.add(m);
        }
        LinkedHashMap<String, Object> values = base(r);
        values.put("references", references);
        values.put("stale", rendered(r.stale()));
        return values;
    }

    private LinkedHashMap<String, Object> verdicts(VerdictsResult r) {
        List<Object> verdicts = new ArrayList<>();
        for (StoredVerdict v : r.verdicts()) {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("artifact", v.artifact());
            m.put("subject", v.subject());
            m.put("verdict", v.verdict());
            m.put("policyDigest", v.policyDigest());
            m.put("created", v.created());
            m.put("signature", Message.neutralize(v.signature()));
            m.put("document", document(v.document()));
            verdicts.add(m);
        }
        LinkedHashMap<String, Object> values = base(r);
        values.put("image", r.image());
        values.put("digest", r.digest());
        values.put("verdicts", verdicts);
        values.put("judgement", r.judgement().map(m -> m.render(vocabulary)).orElse(""));
        return values;
    }

    private LinkedHashMap<String, Object> sync(SyncResult r) {
        List<Object> entries = new ArrayList<>();
        ImageGateException firstError = null;
        String firstTarget = "";
        for (SyncResult.Entry e : r.entries()) {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("source", e.source());
            m.put("target", e.target());
            m.put("outcome", e.outcome().name());
            m.put("previousDigest", e.previousDigest());
            m.put("digest", e.digest());
            m.put("changed", e.changed());
            m.put("vetted", e.vetted());
            m.put("fixed", new ArrayList<>(e.fixed()));
            m.put("introduced", new ArrayList<>(e.introduced()));
            m.put("rescanned", e.rescanned());
            m.put("newlyFailing", e.newlyFailing());
            m.put("becameClean", e.becameClean());
            m.put("findings", new ArrayList<>(e.findings()));
            LinkedHashMap<String, Object> counts = new LinkedHashMap<>();
            if (!e.counts().isEmpty()) {
                SEVERITIES.forEach(sev -> counts.put(sev, e.counts().getOrDefault(sev, 0)));
            }
            m.put("counts", counts);
            m.put("policyDigest", e.policyDigest());
            m.put("verdictCreated", e.verdictCreated());
            if (e.error().isPresent()) {
                putError(m, e.error().get(), "");
                if (firstError == null) {
                    firstError = e.error().get();
                    firstTarget = e.target();
                }
            }
            entries.add(m);
        }
        LinkedHashMap<String, Object> values = base(r);
        if (r.error().isPresent()) {
            putError(values, r.error().get(), "");
        } else if (r.outcome() == Outcome.ERROR) {
            // one image could not be vetted: the run's error is the first such image's
            putError(
                    values,
                    firstError != null ? firstError : unexplained(),
                    firstError != null ? firstTarget + ": " : "");
        }
        values.put("images", r.entries().size());
        values.put("vetted", r.entries().stream().filter(SyncResult.Entry::vetted).count());
        values.put(
                "failed", r.entries().stream().filter(e -> e.outcome() != Outcome.PASSED).count());
        values.put("rescanned", r.entries().stream().filter(SyncResult.Entry::rescanned).count());
        values.put(
                "newlyFailing",
                r.entries().stream().filter(SyncResult.Entry::newlyFailing).count());
        values.put(
                "becameClean", r.entries().stream().filter(SyncResult.Entry::becameClean).count());
        values.put("syncFile", r.run().file());
        values.put("syncFileDigest", r.run().fileDigest());
        values.put("imagesInFile", r.run().imagesInFile());
        LinkedHashMap<String, Object> shard = new LinkedHashMap<>();
        shard.put("index", r.run().shardIndex());
        shard.put("count", r.run().shardCount());
        shard.put("read", new ArrayList<>(r.run().shards()));
        values.put("shard", shard);
        values.put("entries", entries);
        return values;
    }

    // ---------------------------------------------------------------- verdicts

    /** PASS when every platform passed, FAIL when one did not; empty when nothing was judged. */
    public static String verdict(List<VerdictSummary> verdicts) {
        if (verdicts.isEmpty()) {
            return "";
        }
        return verdicts.stream().allMatch(VerdictSummary::passed) ? "PASS" : "FAIL";
    }

    /**
     * Findings counted by the policy, by severity worst first, summed over every platform; a
     * severity without any is 0.
     */
    public static LinkedHashMap<String, Object> counts(List<VerdictSummary> verdicts) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        SEVERITIES.forEach(s -> out.put(s, 0));
        for (VerdictSummary v : verdicts) {
            v.counts()
                    .forEach(
                            (severity, n) ->
                                    out.merge(severity, n, (a, b) -> (Integer) a + (Integer) b));
        }
        return out;
    }

    /**
     * Why the verdicts failed, each prefixed with its platform for a multi-arch image ({@code
     * linux/amd64: …}).
     */
    public static List<String> reasons(List<VerdictSummary> verdicts) {
        List<String> reasons = new ArrayList<>();
        for (VerdictSummary v : verdicts) {
            for (String reason : v.reasons()) {
                reasons.add((v.platform().isEmpty() ? "" : v.platform() + ": ") + reason);
            }
        }
        return reasons;
    }

    private static List<Object> verdicts(List<VerdictSummary> verdicts) {
        List<Object> out = new ArrayList<>();
        for (VerdictSummary v : verdicts) {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("image", v.image());
            int at = v.image().lastIndexOf('@');
            m.put("digest", at < 0 ? "" : v.image().substring(at + 1));
            m.put("platform", v.platform());
            m.put("verdict", v.verdict());
            m.put("counts", counts(List.of(v)));
            m.put("reasons", new ArrayList<>(v.reasons()));
            List<Object> failing = new ArrayList<>();
            for (FindingSummary f : v.failing()) {
                failing.add(
                        f.severity()
                                + " "
                                + f.id()
                                + " "
                                + f.packageName()
                                + " "
                                + f.installedVersion());
            }
            m.put("failing", failing);
            m.put("policyDigest", v.policyDigest());
            out.add(m);
        }
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private List<Object> paths(List<String> files) {
        return new ArrayList<>(files.stream().map(paths).toList());
    }

    private List<Object> rendered(List<Message> messages) {
        return new ArrayList<>(messages.stream().map(m -> m.render(vocabulary)).toList());
    }

    /**
     * A verdict document as values; one that is not a JSON object (it was read and checked before)
     * stays its text.
     */
    private static Object document(String document) {
        try {
            return JSON.readValue(document, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException | RuntimeException e) {
            return document;
        }
    }

    /** Values as one JSON document, on one line. */
    public static String json(Map<String, ?> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain values are always JSON", e);
        }
    }
}
