package io.imagegate;

import io.imagegate.copy.ImageImporter;
import io.imagegate.dockerfile.DockerfileReader;
import io.imagegate.dockerfile.DockerfileRewriter;
import io.imagegate.mapping.ImageMapping;
import io.imagegate.dockerfile.ImageRef;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.Platform;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyEvaluator;
import io.imagegate.policy.Verdict;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.registry.TransportListener;
import io.imagegate.report.ScanReports;
import io.imagegate.scan.ScanOutcome;
import io.imagegate.scan.ScanReport;
import io.imagegate.scan.ScanRequest;
import io.imagegate.scan.Trivy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import io.imagegate.copy.ImportListener;
import io.imagegate.copy.ImportRequest;
import io.imagegate.copy.ImportResult;
import io.imagegate.registry.CredentialProvider;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.TransportOptions;

/**
 * The facade the three front ends (CLI, Maven plugin, Jenkins steps) call. Each front end maps its own inputs
 * onto these methods and the results onto its own conventions; none holds logic of its own.
 */
public final class ImageGate {
    private final TransportOptions transport;
    private final CredentialProvider credentials;

    public ImageGate(TransportOptions transport, CredentialProvider credentials) {
        this.transport = transport;
        this.credentials = credentials;
    }

    public TransportOptions transport() {
        return transport;
    }

    public CredentialProvider credentials() {
        return credentials;
    }

    /**
     * Starts the one-time set-up of registry access in the background (see {@link RegistryClient#prepare()}):
     * for short-lived processes, before they parse their arguments.
     */
    public static void prepare() {
        RegistryClient.prepare();
    }

    /** Imports an image into the target registry; see {@link ImageImporter}. */
    public ImportResult importImage(ImportRequest request, ImportListener listener) {
        try (RegistryClient client = new RegistryClient(transport, credentials, listener)) {
            return new ImageImporter(client, listener).importImage(request);
        }
    }

    /**
     * Scans an image with Trivy and judges it against the policy: one scan and one verdict per platform of a
     * multi-arch image. A Trivy failure is an {@link ImageGateException}, never a failed verdict.
     */
    public ScanOutcome scan(ScanRequest request, Consumer<String> progress) {
        Policy policy = request.policyFile().map(Policy::load).orElseGet(Policy::defaults);
        Trivy trivy = Trivy.locate(request.trivyPath(), request.environment(), request.trivy().cacheDir());
        progress.accept("Trivy " + trivy.version().version() + " at " + trivy.binary()
                + trivy.version().dbUpdatedAt().map(d -> ", vulnerability DB updated " + d).orElse(""));
        List<Target> targets = resolve(request.image());
        List<Verdict> verdicts = new ArrayList<>();
        for (Target target : targets) {
            progress.accept("scanning " + target.image() + target.platform().map(p -> " (" + p + ")").orElse("")
                    + " [" + (verdicts.size() + 1) + "/" + targets.size() + "]");
            ScanReport report = trivy.scan(target.image(), Optional.empty(), request.trivy(), transport, credentials);
            verdicts.add(PolicyEvaluator.evaluate(policy, target.image(), target.platform(), report, trivy.version(), Instant.now()));
        }
        List<Path> reports = request.reportDir().map(dir -> ScanReports.writeAll(dir, verdicts)).orElse(List.of());
        return new ScanOutcome(verdicts, reports, trivy.version());
    }

    private record Target(ImageReference image, Optional<Platform> platform) {
    }

    /** The image by digest, or each platform manifest of an index by its own digest. */
    private List<Target> resolve(ImageReference image) {
        try (RegistryClient client = new RegistryClient(transport, credentials, TransportListener.NONE)) {
            RemoteRepository repository = client.pull(image);
            Descriptor top = repository.headManifest(image.manifestReference()).orElseThrow(() -> new ImageGateException(
                    "the image " + image + " does not exist; check its name and tag"));
            ImageReference pinned = image.byDigest(top.digest());
            Manifest manifest = repository.getManifest(top.digest().toString());
            if (!manifest.isIndex()) {
                return List.of(new Target(pinned, Optional.empty()));
            }
            List<Target> targets = new ArrayList<>();
            for (Descriptor child : manifest.manifests()) {
                // Attestation manifests (buildx) carry platform unknown/unknown: nothing to scan there.
                if (child.platform().map(p -> !p.os().equals("unknown")).orElse(false)) {
                    targets.add(new Target(image.byDigest(child.digest()), child.platform()));
                }
            }
            return targets;
        }
    }

    /**
     * Every image the Dockerfiles use, per target platform when platforms are given (the automatic platform
     * args differ), in file order. A file that cannot be read or that BuildKit would refuse is an error.
     */
    public static List<ImageRef> references(List<Path> dockerfiles, java.util.Map<String, String> buildArgs, List<Platform> platforms) {
        List<ImageRef> out = new ArrayList<>();
        for (Path file : dockerfiles) {
            String text = readDockerfile(file);
            if (platforms.isEmpty()) {
                out.addAll(DockerfileReader.read(file, text, buildArgs, Optional.empty()));
            } else {
                java.util.LinkedHashSet<ImageRef> unique = new java.util.LinkedHashSet<>();
                for (Platform platform : platforms) {
                    unique.addAll(DockerfileReader.read(file, text, buildArgs, Optional.of(platform)));
                }
                unique.stream().sorted(java.util.Comparator.comparingInt(ImageRef::line).thenComparingInt(ImageRef::column))
                        .forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Rewrites the Dockerfiles' references through the mapping; with {@code pin}, each mapped reference is pinned
     * to the digest its tag holds in the private registry (the index digest for a multi-arch image). With
     * {@code check}, nothing is written. A file is replaced atomically, or left untouched on any error.
     */
    public List<DockerfileRewriter.Result> rewrite(List<Path> dockerfiles, ImageMapping mapping, boolean pin, boolean check) {
        return rewrite(dockerfiles, mapping, pin, Optional.empty(), check);
    }

    /** As {@link #rewrite(List, ImageMapping, boolean, boolean)}, pinning to one platform's manifest when asked. */
    public List<DockerfileRewriter.Result> rewrite(List<Path> dockerfiles, ImageMapping mapping, boolean pin, Optional<Platform> pinPlatform,
                                                   boolean check) {
        try (RegistryClient client = new RegistryClient(transport, credentials, TransportListener.NONE)) {
            java.util.function.Function<ImageReference, io.imagegate.reference.Digest> resolver = ref -> {
                RemoteRepository repository = client.pull(ref);
                if (repository.headManifest(ref.manifestReference()).isEmpty()) {
                    throw new ImageGateException("cannot pin " + ref + ": the private registry does not have it;"
                            + " import it first (imagegate import <source> " + ref + ")");
                }
                // The digest is computed here from the manifest bytes (and checked against the registry's header).
                Manifest manifest = repository.getManifest(ref.manifestReference());
                io.imagegate.reference.Digest top = manifest.digest();
                if (pinPlatform.isEmpty() || !manifest.isIndex()) {
                    return top;
                }
                return manifest.manifests().stream().filter(d -> d.platform().map(pinPlatform.get()::matches).orElse(false))
                        .findFirst().map(Descriptor::digest)
                        .orElseThrow(() -> new ImageGateException("cannot pin " + ref + " to " + pinPlatform.get() + ": the image has no such platform"));
            };
            List<DockerfileRewriter.Result> results = new ArrayList<>();
            for (Path file : dockerfiles) {
                String text = readDockerfile(file);
                results.add(DockerfileRewriter.rewrite(file, text, mapping, pin ? Optional.of(resolver) : Optional.empty()));
            }
            if (!check) {
                results.stream().filter(DockerfileRewriter.Result::changed).forEach(DockerfileRewriter::write);
            }
            return results;
        }
    }

    /**
     * The import target the mapping gives for {@code source}, so imports land where rewritten Dockerfiles point.
     * A source pinned only by digest keeps its digest out of the target tag: the tag is {@code latest}.
     */
    public static ImageReference importTarget(ImageReference source, List<String> mappingRules) {
        if (mappingRules.isEmpty()) {
            throw new ImageGateException("give a TARGET, or --map rules to derive it (e.g. --map =registry.example.com/mirror)");
        }
        ImageReference mapped = ImageMapping.parse(mappingRules).map(source).orElseThrow(() -> new ImageGateException(
                "no --map rule matches " + source.name() + "; add one (an empty source prefix, =DST_PREFIX, matches everything)"));
        return mapped.withoutDigest();
    }

    /**
     * References written with both a tag and a digest whose tag now points at another digest in the registry:
     * one line each ({@code file:line: ref: the tag now holds sha256:…}). Registries that cannot be reached are
     * reported the same way rather than failing the whole check.
     */
    public List<String> staleTags(List<ImageRef> refs) {
        List<String> out = new ArrayList<>();
        try (RegistryClient client = new RegistryClient(transport, credentials, TransportListener.NONE)) {
            for (ImageRef ref : refs) {
                Optional<ImageReference> image = ref.reference().filter(r -> r.isPinned() && r.tag().isPresent());
                if (image.isEmpty()) {
                    continue;
                }
                ImageReference r = image.get();
                try {
                    Optional<Descriptor> current = client.pull(r).headManifest(r.tag().get());
                    if (current.isEmpty()) {
                        out.add(ref.file() + ":" + ref.line() + ": " + r + ": the tag " + r.tag().get() + " no longer exists");
                    } else if (!current.get().digest().equals(r.digest().get()) && !listedIn(client, r, current.get())) {
                        out.add(ref.file() + ":" + ref.line() + ": " + r + ": the tag " + r.tag().get() + " now holds " + current.get().digest());
                    }
                } catch (ImageGateException e) {
                    out.add(ref.file() + ":" + ref.line() + ": " + r + ": cannot check the tag: " + e.getMessage());
                }
            }
        }
        return out;
    }

    /** A platform pin: the written digest is one of the manifests of the index the tag holds. */
    private static boolean listedIn(RegistryClient client, ImageReference written, Descriptor current) {
        if (!io.imagegate.oci.MediaTypes.isIndex(current.mediaType())) {
            return false;
        }
        Manifest index = client.pull(written).getManifest(current.digest().toString());
        return index.manifests().stream().anyMatch(d -> d.digest().equals(written.digest().get()));
    }

    /**
     * Expands Dockerfile paths and glob patterns ({@code **}/Dockerfile, {@code docker/*.Dockerfile}) relative to
     * {@code base}, sorted; a pattern that matches nothing is an error (a gate that checks nothing must not pass).
     */
    public static List<Path> dockerfiles(Path base, List<String> patterns) {
        List<Path> out = new ArrayList<>();
        for (String pattern : patterns) {
            if (!pattern.contains("*") && !pattern.contains("?") && !pattern.contains("[") && !pattern.contains("{")) {
                out.add(base.resolve(pattern));
                continue;
            }
            // Walk from the pattern's literal directory prefix; match the rest against paths relative to it.
            int firstGlob = java.util.stream.IntStream.range(0, pattern.length()).filter(i -> "*?[{".indexOf(pattern.charAt(i)) >= 0)
                    .findFirst().orElse(pattern.length());
            int slash = pattern.lastIndexOf('/', firstGlob);
            Path root = slash < 0 ? base : base.resolve(slash == 0 ? "/" : pattern.substring(0, slash));
            String rest = pattern.substring(slash + 1);
            java.nio.file.PathMatcher matcher = root.getFileSystem().getPathMatcher("glob:" + rest);
            // "**/x" should also match x at the top: glob's ** needs at least one directory otherwise.
            java.nio.file.PathMatcher top = rest.startsWith("**/") ? root.getFileSystem().getPathMatcher("glob:" + rest.substring(3)) : matcher;
            List<Path> matched;
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(root)) {
                matched = files.filter(java.nio.file.Files::isRegularFile)
                        .filter(f -> matcher.matches(root.relativize(f)) || top.matches(root.relativize(f)))
                        .sorted().toList();
            } catch (java.io.IOException e) {
                throw new ImageGateException("cannot search " + base + " for " + pattern + ": " + e.getMessage());
            }
            if (matched.isEmpty()) {
                throw new ImageGateException("no Dockerfile matches \"" + pattern + "\" under " + base);
            }
            out.addAll(matched);
        }
        return out.stream().distinct().toList();
    }

    private static String readDockerfile(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new ImageGateException("cannot read the Dockerfile " + file + ": " + e.getMessage());
        }
    }
}
