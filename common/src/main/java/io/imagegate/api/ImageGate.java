package io.imagegate.api;

import io.imagegate.copy.CopyResult;
import io.imagegate.copy.ImageImporter;
import io.imagegate.copy.ProgressLog;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Vocabulary;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RegistrySession;
import io.imagegate.registry.TransportListener;
import io.imagegate.registry.TransportOptions;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one API every front end (CLI, Maven plugin, Jenkins steps) calls. A front end binds its inputs into an
 * operation's {@link Spec}, calls the operation here, and maps the result's {@link Outcome} onto its own
 * conventions; it holds no logic of its own. Operations never throw for a user mistake, a registry fault or a
 * tool failure: those come back as {@link Outcome#ERROR} with a typed {@link ImageGateException}.
 */
public final class ImageGate {
    private final Settings settings;
    private final TransportOptions transport;
    private final CredentialProvider credentials;
    /** Registries' endpoints and idle connections, kept across this instance's operations (its transport options are fixed). */
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
     * Starts the one-time set-up of registry access in the background (HTTP and JSON classes, SHA-256 compiled):
     * for short-lived processes, before they parse their arguments.
     */
    public static void prepare() {
        RegistryClient.prepare();
    }

    // ---------------------------------------------------------------- operations

    /** Imports an image into a registry: blobs first, the tag last, every byte verified. */
    public ImportResult importImage(ImportSpec spec, ProgressListener progress) {
        return run(() -> {
            spec.validate();
            ProgressLog log = new ProgressLog(progress::info);
            try (RegistryClient client = with(spec.registries()).client(log)) {
                return toResult(new ImageImporter(client, log).importImage(spec.request()));
            }
        }, ImportResult::failed);
    }

    /** Scans an image (every platform of a multi-arch image) with Trivy and judges it against the policy. */
    public ScanResult scan(ScanSpec spec, ProgressListener progress) {
        return run(() -> {
            spec.validate();
            return new Scanning(this).scan(spec, progress);
        }, e -> ScanResult.failed(spec.image(), e));
    }

    /** Vets an image: quarantine, scan, promote on PASS, verdict recorded in the registry. */
    public VetResult vet(VetSpec spec, ProgressListener progress) {
        return run(() -> {
            spec.validate();
            return new Vetting(this).vet(spec, progress);
        }, e -> VetResult.failed(spec.source(), spec.target(), e));
    }

    /** Keeps the images a sync file lists vetted as upstream moves. */
    public SyncResult sync(SyncSpec spec, ProgressListener progress) {
        return run(() -> {
            spec.validate();
            return new Vetting(this).sync(spec, progress);
        }, SyncResult::failed);
    }

    /** The verdicts recorded in the registry for an image. */
    public VerdictsResult verdicts(VerdictSpec spec) {
        return run(() -> {
            spec.validate();
            return new Vetting(this).verdicts(spec);
        }, e -> VerdictsResult.failed(spec.image(), e));
    }

    /** Every image the Dockerfiles use. */
    public RefsResult refs(RefsSpec spec, Vocabulary vocabulary) {
        return run(() -> {
            spec.validate();
            return new Dockerfiles(this).refs(spec, vocabulary);
        }, RefsResult::failed);
    }

    /** Rewrites Dockerfile references to the private registry, optionally pinned. */
    public RewriteResult rewrite(RewriteSpec spec) {
        return run(() -> {
            spec.validate();
            return new Dockerfiles(this).rewrite(spec);
        }, RewriteResult::failed);
    }

    /** Checks every image the Dockerfiles (and configured images) use against the gate's rules. */
    public GateResult gate(GateSpec spec) {
        return run(() -> {
            spec.validate();
            return new Dockerfiles(this).gate(spec);
        }, GateResult::failed);
    }

    /**
     * The images the Dockerfiles (and configured images) use, each with where the mapping rules put it: what import
     * and vet go through when they follow a project. Reads files only; contacts no registry.
     */
    public ImportPlan importPlan(ImportPlanSpec spec) {
        return run(() -> {
            spec.validate();
            return new Dockerfiles(this).plan(spec);
        }, ImportPlan::failed);
    }

    // ---------------------------------------------------------------- shared

    /** An API whose settings also hold these registries' (an operation's own credentials and chunking). */
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

    TransportOptions transport() {
        return transport;
    }

    CredentialProvider credentials() {
        return credentials;
    }

    /**
     * Runs an operation: typed failures become its ERROR result; anything else is a bug, reported as an
     * {@link ErrorKind#INTERNAL} error with its cause kept for debug output.
     */
    static <T> T run(java.util.function.Supplier<T> operation, Function<ImageGateException, T> failed) {
        try {
            return operation.get();
        } catch (ImageGateException e) {
            return failed.apply(e);
        } catch (RuntimeException | StackOverflowError e) {
            return failed.apply(internal(e));
        }
    }

    static ImageGateException internal(Throwable e) {
        return ImageGateException.internal("internal", "internal error ({0}); this is a bug in imagegate, please report it with the"
                + " command that caused it", e.getClass().getName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())))
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
        return new ImportResult(Outcome.PASSED, Optional.empty(), r.target().toString(), r.target().digest().map(Object::toString).orElse(""),
                r.sourceDigest().toString(), r.mediaType(), platforms, r.upToDate(),
                new ImportResult.BlobCount(r.copied().blobs(), r.copied().bytes()),
                new ImportResult.BlobCount(r.mounted().blobs(), r.mounted().bytes()),
                new ImportResult.BlobCount(r.present().blobs(), r.present().bytes()), r.referrers(), r.requests(), r.duration());
    }
}
