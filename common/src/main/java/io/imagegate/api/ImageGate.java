package io.imagegate.api;

import io.imagegate.copy.CopyResult;
import io.imagegate.copy.ImageImporter;
import io.imagegate.copy.ProgressLog;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.message.Vocabulary;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RegistrySession;
import io.imagegate.registry.TransportListener;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one API every front end (CLI, Maven plugin, Jenkins steps) calls. A front end binds its
 * inputs into an operation's {@link Spec}, calls the operation here, and maps the result's {@link
 * Outcome} onto its own conventions; it holds no logic of its own. Operations never throw for a
 * user mistake, a registry fault or a tool failure: those come back as {@link Outcome#ERROR} with a
 * typed {@link ImageGateException}.
 */
public final class ImageGate {
    private final Settings settings;
    private final TransportOptions transport;
    private final CredentialProvider credentials;

    /**
     * Registries' endpoints and idle connections, kept across this instance's operations (its
     * transport options are fixed).
     */
    private final RegistrySession session = new RegistrySession();

    private ImageGate(Settings settings) {
        this.settings = settings;
        this.transport = Wiring.transport(settings);
        this.credentials = Wiring.credentials(settings);
    }

    /** An API bound to these settings; cheap, and safe to use from several threads. */
    public static ImageGate create(Settings settings) {
        return new ImageGate(settings);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Starts the one-time set-up of registry access in the background (HTTP and JSON classes,
     * SHA-256 compiled): for short-lived processes, before they parse their arguments.
     */
    public static void prepare() {
        RegistryClient.prepare();
    }

    // ---------------------------------------------------------------- operations

    /** Imports an image into a registry: blobs first, the tag last, every byte verified. */
    public ImportResult importImage(ImportSpec spec, ProgressListener progress) {
        return run(
                () -> {
                    spec.validate();
                    ProgressLog log = new ProgressLog(progress::info);
                    try (RegistryClient client = with(spec.registries()).client(log)) {
                        return toResult(new ImageImporter(client, log).importImage(spec.request()));
                    }
                },
                ImportResult::failed);
    }

    /**
     * Scans an image (every platform of a multi-arch image) with Trivy and judges it against the
     * policy.
     */
    public ScanResult scan(ScanSpec spec, ProgressListener progress) {
        return run(
                () -> {
                    spec.validate();
                    return new Scanning(this).scan(spec, progress);
                },
                e -> ScanResult.failed(spec.image(), e));
    }

    /** Vets an image: quarantine, scan, promote on PASS, verdict recorded in the registry. */
    public VetResult vet(VetSpec spec, ProgressListener progress) {
        return run(
                () -> {
                    spec.validate();
                    return new Vetting(this).vet(spec, progress);
                },
                e -> VetResult.failed(spec.source(), spec.target(), e));
    }

    /** The most operations a batch runs at once, as for sync. */
    public static final int MAX_PARALLELISM = 64;

    /**
     * Imports every spec, {@code parallelism} at a time on the pool sync uses; the results in the
     * specs' order. Each is imported as {@link #importImage} would: one that fails is its own
     * result and never stops the others. A parallelism outside 1 to {@value #MAX_PARALLELISM} is a
     * usage error in every result; nothing is imported.
     */
    public List<ImportResult> importAll(
            List<ImportSpec> specs, int parallelism, ProgressListener progress) {
        return batch(
                "imagegate-import",
                specs,
                parallelism,
                spec -> importImage(spec, forItem(progress, parallelism, spec.source())),
                (spec, e) -> ImportResult.failed(e));
    }

    /**
     * Vets every spec, {@code parallelism} at a time on the pool sync uses; the results in the
     * specs' order. Each is vetted as {@link #vet} would: one that fails (refused by the policy, or
     * an error) is its own result and never stops the others. A parallelism outside 1 to {@value
     * #MAX_PARALLELISM} is a usage error in every result; nothing is vetted.
     */
    public List<VetResult> vetAll(List<VetSpec> specs, int parallelism, ProgressListener progress) {
        return batch(
                "imagegate-vet",
                specs,
                parallelism,
                spec -> vet(spec, forItem(progress, parallelism, spec.source())),
                (spec, e) -> VetResult.failed(spec.source(), spec.target(), e));
    }

    private static <S, R> List<R> batch(
            String name,
            List<S> specs,
            int parallelism,
            Function<S, R> operation,
            java.util.function.BiFunction<S, ImageGateException, R> failed) {
        List<S> items = List.copyOf(specs);
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            ImageGateException e =
                    ImageGateException.usage(
                            Field.PARALLEL,
                            "batch.parallel-range",
                            "the number of images processed at"
                                    + " once ({0}) must be between 1 and {1}, not {2}",
                            Field.PARALLEL,
                            MAX_PARALLELISM,
                            parallelism);
            return items.stream().map(spec -> failed.apply(spec, e)).toList();
        }
        return Batch.runAll(name, items, parallelism, operation, failed);
    }

    /** Side by side, each line names the image it is about, as sync's do. */
    private static ProgressListener forItem(
            ProgressListener progress, int parallelism, String image) {
        if (parallelism == 1) {
            return progress;
        }
        String prefix = Message.neutralize(String.valueOf(image)) + ": ";
        return new ProgressListener() {
            @Override
            public void info(String line) {
                progress.info(prefix + line.strip());
            }

            @Override
            public void debug(String line) {
                progress.debug(prefix + line.strip());
            }
        };
    }

    /** Keeps the images a sync file lists vetted as upstream moves. */
    public SyncResult sync(SyncSpec spec, ProgressListener progress) {
        return run(
                () -> {
                    spec.validate();
                    return new Vetting(this).sync(spec, progress);
                },
                SyncResult::failed);
    }

    /** The verdicts recorded in the registry for an image. */
    public VerdictsResult verdicts(VerdictSpec spec) {
        return run(
                () -> {
                    spec.validate();
                    return new Vetting(this).verdicts(spec);
                },
                e -> VerdictsResult.failed(spec.image(), e));
    }

    /** Every image the Dockerfiles use. */
    public RefsResult refs(RefsSpec spec, Vocabulary vocabulary) {
        return run(
                () -> {
                    spec.validate();
                    return new Dockerfiles(this).refs(spec, vocabulary);
                },
                RefsResult::failed);
    }

    /** Rewrites Dockerfile references to the private registry, optionally pinned. */
    public RewriteResult rewrite(RewriteSpec spec) {
        return run(
                () -> {
                    spec.validate();
                    return new Dockerfiles(this).rewrite(spec);
                },
                RewriteResult::failed);
    }

    /** Checks every image the Dockerfiles (and configured images) use against the gate's rules. */
    public GateResult gate(GateSpec spec) {
        return run(
                () -> {
                    spec.validate();
                    return new Dockerfiles(this).gate(spec);
                },
                GateResult::failed);
    }

    /**
     * The private images the Dockerfiles (and configured images) use whose verdicts do not count
     * under the policy, each with the upstream source its verdicts record (else itself): what vet
     * takes again when it follows a project.
     */
    public RevetPlan revetPlan(RevetSpec spec) {
        return run(
                () -> {
                    spec.validate();
                    return new Dockerfiles(this).revet(spec);
                },
                RevetPlan::failed);
    }

    /**
     * Re-pins every trusted reference of the Dockerfiles and POMs to the newest vetted digest of
     * its tag; messages in the summary are rendered in {@code vocabulary}.
     */
    public UpdateResult update(UpdateSpec spec, Vocabulary vocabulary) {
        return run(
                () -> {
                    spec.validate();
                    return new Updates(this).update(spec, vocabulary);
                },
                UpdateResult::failed);
    }

    /**
     * The images the Dockerfiles (and configured images) use, each with where the mapping rules put
     * it: what import and vet go through when they follow a project. Reads files only; contacts no
     * registry.
     */
    public ImportPlan importPlan(ImportPlanSpec spec) {
        return run(
                () -> {
                    spec.validate();
                    return new Dockerfiles(this).plan(spec);
                },
                ImportPlan::failed);
    }

    // ---------------------------------------------------------------- shared

    /**
     * An API whose settings also hold these registries' (an operation's own credentials and
     * chunking).
     */
    ImageGate with(java.util.List<RegistrySettings> registries) {
        if (registries.isEmpty()) {
            return this;
        }
        Settings more = settings;
        for (RegistrySettings r : registries) {
            more = more.withRegistry(r);
        }
        return new ImageGate(more);
    }

    RegistryClient client(TransportListener listener) {
        return new RegistryClient(transport, credentials, listener, session);
    }

    /** A client over this API's connections with other credentials (a sync's credential set). */
    RegistryClient client(TransportListener listener, CredentialProvider others) {
        return new RegistryClient(transport, others, listener, session);
    }

    TransportOptions transport() {
        return transport;
    }

    CredentialProvider credentials() {
        return credentials;
    }

    /**
     * Runs an operation: typed failures become its ERROR result; anything else is a bug, reported
     * as an {@link ErrorKind#INTERNAL} error with its cause kept for debug output.
     */
    static <T> T run(
            java.util.function.Supplier<T> operation, Function<ImageGateException, T> failed) {
        try {
            return operation.get();
        } catch (ImageGateException e) {
            return failed.apply(e);
        } catch (RuntimeException | StackOverflowError e) {
            return failed.apply(internal(e));
        }
    }

    static ImageGateException internal(Throwable e) {
        return ImageGateException.internal(
                        "internal",
                        "internal error ({0}); this is a bug in imagegate, please report it with the"
                                + " command that caused it",
                        e.getClass().getName()
                                + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())))
                .withCause(e);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static ImportResult toResult(CopyResult r) {
        Map<String, String> platforms = new LinkedHashMap<>();
        r.platformDigests().forEach((p, d) -> platforms.put(p.toString(), d.toString()));
        return new ImportResult(
                Outcome.PASSED,
                Optional.empty(),
                r.target().toString(),
                r.target().digest().map(Object::toString).orElse(""),
                r.sourceDigest().toString(),
                r.mediaType(),
                platforms,
                r.upToDate(),
                new ImportResult.BlobCount(r.copied().blobs(), r.copied().bytes()),
                new ImportResult.BlobCount(r.mounted().blobs(), r.mounted().bytes()),
                new ImportResult.BlobCount(r.present().blobs(), r.present().bytes()),
                r.referrers(),
                r.requests(),
                r.duration());
    }
}
