package io.imagegate.api;

import io.imagegate.dockerfile.DockerfileFiles;
import io.imagegate.dockerfile.DockerfileReader;
import io.imagegate.dockerfile.DockerfileRewriter;
import io.imagegate.dockerfile.ImageRef;
import io.imagegate.dockerfile.ReferenceReports;
import io.imagegate.gate.Gate;
import io.imagegate.gate.Remedies;
import io.imagegate.gate.TemplatedFix;
import io.imagegate.gate.VettingCheck;
import io.imagegate.gate.Violation;
import io.imagegate.mapping.ImageMapping;
import io.imagegate.message.Edit;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.message.Operation;
import io.imagegate.message.Vocabulary;
import io.imagegate.oci.Attestations;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.oci.Platform;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.reference.InvalidReferenceException;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.registry.TransportListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The Dockerfile operations: refs, rewrite, gate. */
final class Dockerfiles {
    private final ImageGate gate;

    Dockerfiles(ImageGate gate) {
        this.gate = gate;
    }

    private Path base() {
        return Path.of(gate.settings().environment().workingDirectory());
    }

    /**
     * Every reference of the files, per target platform when platforms are given, in file order.
     */
    List<ImageRef> read(
            List<String> patterns, Map<String, String> buildArgs, List<Platform> platforms) {
        return read(patterns, buildArgs, platforms, new java.util.HashMap<>());
    }

    /** {@link #read}, keeping each file's text in {@code texts} (for fixes that quote a line). */
    private List<ImageRef> read(
            List<String> patterns,
            Map<String, String> buildArgs,
            List<Platform> platforms,
            Map<Path, String> texts) {
        List<ImageRef> out = new ArrayList<>();
        for (Path file : DockerfileFiles.expand(base(), patterns)) {
            String text = DockerfileFiles.read(file);
            texts.put(file, text);
            if (platforms.isEmpty()) {
                out.addAll(DockerfileReader.read(file, text, buildArgs, Optional.empty()));
            } else {
                LinkedHashSet<ImageRef> unique = new LinkedHashSet<>();
                for (Platform platform : platforms) {
                    unique.addAll(
                            DockerfileReader.read(file, text, buildArgs, Optional.of(platform)));
                }
                unique.stream()
                        .sorted(
                                Comparator.comparingInt(ImageRef::line)
                                        .thenComparingInt(ImageRef::column))
                        .forEach(out::add);
            }
        }
        return out;
    }

    RefsResult refs(RefsSpec spec, Vocabulary vocabulary) {
        List<ImageRef> refs =
                read(
                        spec.files(),
                        Inputs.keyValues(Field.BUILD_ARG, spec.buildArgs()),
                        Inputs.platforms(Field.PLATFORM, spec.platforms()));
        List<Message> stale = spec.verify() ? staleTags(refs) : List.of();
        boolean resolved = refs.stream().allMatch(ImageRef::resolved);
        return new RefsResult(
                resolved && stale.isEmpty() ? Outcome.PASSED : Outcome.CHANGES_NEEDED,
                Optional.empty(),
                refs.stream().map(Dockerfiles::reference).toList(),
                stale,
                ReferenceReports.text(refs, vocabulary),
                ReferenceReports.json(refs, vocabulary));
    }

    static Reference reference(ImageRef r) {
        return new Reference(
                r.file().toString(),
                r.line(),
                r.column(),
                r.endLine(),
                r.endColumn(),
                ReferenceReports.kind(r),
                r.written(),
                r.reference().map(Object::toString),
                r.pinned(),
                r.error());
    }

    /**
     * References written with both a tag and a digest whose tag now points at another digest. A
     * registry that cannot be asked fails the operation: an unreachable registry is not drift.
     */
    private List<Message> staleTags(List<ImageRef> refs) {
        List<Message> out = new ArrayList<>();
        try (RegistryClient client = gate.client(TransportListener.NONE)) {
            for (ImageRef ref : refs) {
                Optional<ImageReference> image =
                        ref.reference().filter(r -> r.isPinned() && r.tag().isPresent());
                if (image.isEmpty()) {
                    continue;
                }
                ImageReference r = image.get();
                Optional<Descriptor> current = client.pull(r).headManifest(r.tag().get());
                if (current.isEmpty()) {
                    out.add(
                            Message.of(
                                    "refs.tag-gone",
                                    "{0}:{1}: {2}: the tag {3} no longer exists",
                                    ref.file(),
                                    ref.line(),
                                    r,
                                    r.tag().get()));
                } else if (!current.get().digest().equals(r.digest().get())
                        && !listedIn(client, r, current.get())) {
                    out.add(
                            Message.of(
                                    "refs.tag-moved",
                                    "{0}:{1}: {2}: the tag {3} now holds {4}",
                                    ref.file(),
                                    ref.line(),
                                    r,
                                    r.tag().get(),
                                    current.get().digest()));
                }
            }
        }
        return out;
    }

    /** A platform pin: the written digest is one of the manifests of the index the tag holds. */
    private static boolean listedIn(
            RegistryClient client, ImageReference written, Descriptor current) {
        if (!MediaTypes.isIndex(current.mediaType())) {
            return false;
        }
        Manifest index = client.pull(written).getManifest(current.digest().toString());
        return index.manifests().stream().anyMatch(d -> d.digest().equals(written.digest().get()));
    }

    RewriteResult rewrite(RewriteSpec spec) {
        ImageMapping mapping = ImageMapping.parse(spec.map());
        Optional<Platform> pinPlatform =
                Optional.ofNullable(Inputs.platform(Field.PIN_PLATFORM, spec.pinPlatform()));
        Map<String, String> buildArgs = Inputs.keyValues(Field.BUILD_ARG, spec.buildArgs());
        List<Path> files = DockerfileFiles.expand(base(), spec.files());
        try (RegistryClient client = gate.client(TransportListener.NONE)) {
            Function<ImageReference, Digest> resolver = ref -> pinDigest(client, ref, pinPlatform);
            List<DockerfileRewriter.Result> results = new ArrayList<>();
            for (Path file : files) {
                results.add(
                        DockerfileRewriter.rewrite(
                                file,
                                DockerfileFiles.read(file),
                                mapping,
                                spec.pin() ? Optional.of(resolver) : Optional.empty(),
                                buildArgs));
            }
            List<RewriteResult.FileChange> changes = new ArrayList<>();
            for (DockerfileRewriter.Result r : results) {
                boolean write = !spec.check() && r.changed();
                if (write) {
                    DockerfileRewriter.write(r);
                }
                List<Message> skipped =
                        r.changes().stream()
                                .filter(c -> c.skipped().isPresent())
                                .map(Dockerfiles::skipped)
                                .toList();
                List<Message> needsEdit =
                        r.changes().stream()
                                .filter(DockerfileRewriter.Change::needsEdit)
                                .map(Dockerfiles::skipped)
                                .toList();
                changes.add(
                        new RewriteResult.FileChange(
                                r.file().toString(),
                                r.changed(),
                                write,
                                r.changed()
                                        ? r.diff().stream().map(Message::neutralize).toList()
                                        : List.of(),
                                skipped,
                                needsEdit));
            }
            RewriteResult result = new RewriteResult(Outcome.PASSED, Optional.empty(), changes);
            return spec.check() && (result.changed() || result.needsEdit())
                    ? new RewriteResult(Outcome.CHANGES_NEEDED, Optional.empty(), changes)
                    : result;
        }
    }

    /** A reference left alone (or unpinned), with its place and why. */
    private static Message skipped(DockerfileRewriter.Change c) {
        Message why = c.skipped().orElseThrow();
        return why.code().equals(DockerfileRewriter.PIN_TEMPLATED)
                ? Message.of(
                        "rewrite.not-pinned",
                        "{0}:{1}: not pinned: {2}",
                        c.ref().file(),
                        c.ref().line(),
                        why)
                : Message.of(
                        "rewrite.skipped",
                        "{0}:{1}: not rewritten: {2}",
                        c.ref().file(),
                        c.ref().line(),
                        why);
    }

    /**
     * The digest to pin {@code ref} to: computed from the manifest bytes (and checked against the
     * registry's header). A platform pin is the entry containerd selects, the first of that
     * platform in index order, proven attestations left out; an index that disguises an image as an
     * attestation is refused.
     */
    private static Digest pinDigest(
            RegistryClient client, ImageReference ref, Optional<Platform> pinPlatform) {
        RemoteRepository repository = client.pull(ref);
        Manifest manifest =
                repository
                        .findManifest(ref.manifestReference())
                        .orElseThrow(
                                () ->
                                        ImageGateException.of(
                                                ErrorKind.NOT_FOUND,
                                                "rewrite.pin-missing",
                                                "cannot pin {0}: the private registry does not have it; vet or import it first ({1})",
                                                ref,
                                                Fix.of(Operation.VET)
                                                        .with(Field.TARGET, ref.toString())));
        Digest top = manifest.digest();
        if (pinPlatform.isEmpty() || !manifest.isIndex()) {
            return top;
        }
        return Attestations.selectable(
                        manifest,
                        d -> d.platform().map(pinPlatform.get()::matches).orElse(false),
                        d -> repository.getManifest(d.toString()),
                        ref)
                .stream()
                .findFirst()
                .map(Descriptor::digest)
                .orElseThrow(
                        () ->
                                ImageGateException.of(
                                        ErrorKind.NOT_FOUND,
                                        "rewrite.pin-no-platform",
                                        "cannot pin {0} to {1}: the image has no such platform",
                                        ref,
                                        pinPlatform.get()));
    }

    ImportPlan plan(ImportPlanSpec spec) {
        List<ImageRef> refs =
                spec.files().isEmpty()
                        ? new ArrayList<>()
                        : new ArrayList<>(
                                read(
                                        spec.files(),
                                        Inputs.keyValues(Field.BUILD_ARG, spec.buildArgs()),
                                        Inputs.platforms(Field.PLATFORM, spec.platforms())));
        for (ImageSource source : spec.images()) {
            refs.add(configured(source));
        }
        ImageMapping mapping = ImageMapping.parse(spec.map());
        Map<String, ImportPlan.Entry> planned = new java.util.LinkedHashMap<>();
        Map<String, ImportPlan.Entry> alreadyPrivate = new java.util.LinkedHashMap<>();
        List<Message> problems = new ArrayList<>();
        for (ImageRef ref : refs) {
            if (ref.reference().isEmpty()) {
                problems.add(
                        Message.of(
                                "plan.unresolved",
                                "{0}:{1}: cannot follow this reference: {2}",
                                ref.file(),
                                ref.line(),
                                ref.error().map(Object.class::cast).orElse("it does not resolve")));
                continue;
            }
            ImageReference image = ref.reference().get();
            String file = ref.file().toString();
            if (mapping.isTarget(image)) {
                alreadyPrivate.putIfAbsent(
                        image.toString(),
                        new ImportPlan.Entry(image.toString(), image.toString(), file, ref.line()));
                continue;
            }
            String target =
                    spec.map().isEmpty()
                            ? ""
                            : CopyInputs.derivedTarget(image, spec.map()).toString();
            planned.putIfAbsent(
                    image.toString(),
                    new ImportPlan.Entry(image.toString(), target, file, ref.line()));
        }
        return new ImportPlan(
                problems.isEmpty() ? Outcome.PASSED : Outcome.CHANGES_NEEDED,
                Optional.empty(),
                List.copyOf(planned.values()),
                List.copyOf(alreadyPrivate.values()),
                problems);
    }

    /**
     * The private images the build uses whose verdicts do not count: the gate's judgement, with the
     * mapping rules' targets as its trusted prefixes, and its fix for each.
     */
    RevetPlan revet(RevetSpec spec) {
        ImportPlanSpec plan = spec.plan();
        List<String> targets =
                ImageMapping.parse(plan.map()).rules().stream()
                        .map(ImageMapping.Rule::target)
                        .distinct()
                        .toList();
        GateResult judged =
                gate(
                        GateSpec.builder()
                                .files(plan.files())
                                .images(plan.images())
                                .buildArgs(plan.buildArgs())
                                .platforms(plan.platforms())
                                .trusted(targets)
                                .requireVetted(true)
                                .policy(spec.policy())
                                .verifyKeys(spec.verifyKeys())
                                .map(plan.map())
                                .quarantine(spec.quarantine())
                                .build());
        Map<String, RevetPlan.Entry> out = new java.util.LinkedHashMap<>();
        for (GateResult.Violation v : judged.violations()) {
            if (!v.rule().equals("not-vetted") || v.fixes().isEmpty()) {
                continue; // the others are what import and vet plan from the mapping rules
            }
            Fix vet = v.fixes().get(0);
            String target = vet.inputs().get(Field.TARGET);
            out.putIfAbsent(
                    target,
                    new RevetPlan.Entry(
                            vet.inputs().get(Field.SOURCE),
                            target,
                            v.fix().code().equals("gate.fix-not-vetted-in-place"),
                            v.file(),
                            v.line(),
                            v.reason()));
        }
        return new RevetPlan(Outcome.PASSED, Optional.empty(), List.copyOf(out.values()));
    }

    GateResult gate(GateSpec spec) {
        Map<String, String> buildArgs = Inputs.keyValues(Field.BUILD_ARG, spec.buildArgs());
        Map<Path, String> texts = new java.util.HashMap<>();
        List<ImageRef> refs =
                spec.files().isEmpty()
                        ? new ArrayList<>()
                        : new ArrayList<>(
                                read(
                                        spec.files(),
                                        buildArgs,
                                        Inputs.platforms(Field.PLATFORM, spec.platforms()),
                                        texts));
        Map<ImageRef, ImageSource> configured = new IdentityHashMap<>();
        for (ImageSource source : spec.images()) {
            ImageRef ref = configured(source);
            refs.add(ref);
            configured.put(ref, source);
        }
        if (refs.isEmpty()) {
            throw ImageGateException.of(
                    ErrorKind.CONFIGURATION,
                    "gate.no-references",
                    "the Dockerfiles use no image at all; a gate that"
                            + " checked nothing does not pass (check the files given ({0}))",
                    Field.DOCKERFILES);
        }
        try (RegistryClient client =
                spec.requireVetted() ? gate.client(TransportListener.NONE) : null) {
            Vetting.Check check =
                    spec.requireVetted()
                            ? new Vetting(gate)
                                    .check(
                                            client,
                                            spec.policy(),
                                            spec.anyPolicy(),
                                            spec.verifyKeys())
                            : null;
            VettingCheck vetting = check != null ? check.check() : VettingCheck.none();
            Gate rules =
                    new Gate(
                            Inputs.list(Field.TRUSTED, spec.trusted()),
                            spec.requireDigest(),
                            vetting,
                            new Remedies(
                                    spec.map(),
                                    VetSpec.DEFAULT_QUARANTINE.equals(spec.quarantine())
                                            ? null
                                            : spec.quarantine(),
                                    spec.policy(),
                                    spec.verifyKeys()));
            List<Violation> violations = rules.check(refs);
            List<GateResult.Violation> out = new ArrayList<>();
            for (Violation found : violations) {
                Violation v =
                        configured.containsKey(found.ref())
                                ? configuredFix(
                                        found,
                                        configured.get(found.ref()),
                                        spec.requireDigest(),
                                        client)
                                : found;
                // A line whose tag is templated: only an edit of that line fixes it, in words.
                Optional<io.imagegate.message.Message> templated =
                        configured.containsKey(found.ref())
                                ? Optional.empty()
                                : TemplatedFix.of(
                                        v,
                                        texts.getOrDefault(v.ref().file(), ""),
                                        rules,
                                        buildArgs);
                out.add(
                        new GateResult.Violation(
                                v.ref().file().toString(),
                                v.ref().line(),
                                v.ref().written(),
                                v.ref().reference().map(Object::toString).orElse(""),
                                v.rule()
                                        .name()
                                        .toLowerCase(java.util.Locale.ROOT)
                                        .replace('_', '-'),
                                v.reason(),
                                templated.orElse(v.fix()),
                                templated.isPresent() ? List.of() : v.fixes(),
                                templated.isPresent() ? Optional.empty() : v.edit()));
            }
            return new GateResult(
                    out.isEmpty() ? Outcome.PASSED : Outcome.POLICY_FAILED,
                    Optional.empty(),
                    refs.size(),
                    spec.requireVetted(),
                    out,
                    check != null && check.verified());
        }
    }

    /** An image configured outside a Dockerfile, as a reference the gate checks like a FROM. */
    private static ImageRef configured(ImageSource source) {
        Path file = Path.of(source.file());
        String written = source.reference() == null ? "" : source.reference();
        if (written.isBlank()) {
            return new ImageRef(
                    file,
                    source.line(),
                    1,
                    source.line(),
                    1,
                    written,
                    Optional.empty(),
                    ImageRef.Kind.CONFIGURED,
                    Optional.of(
                            Message.of(
                                    "gate.configured-unset",
                                    "{0} is not set, so the build uses the tool's default base image",
                                    source.what())),
                    Optional.empty());
        }
        try {
            return new ImageRef(
                    file,
                    source.line(),
                    1,
                    source.line(),
                    1 + written.length(),
                    written,
                    Optional.of(ImageReference.parse(written.strip())),
                    ImageRef.Kind.CONFIGURED,
                    Optional.empty(),
                    Optional.empty());
        } catch (InvalidReferenceException e) {
            return new ImageRef(
                    file,
                    source.line(),
                    1,
                    source.line(),
                    1 + written.length(),
                    written,
                    Optional.empty(),
                    ImageRef.Kind.CONFIGURED,
                    Optional.of(e.message()),
                    Optional.empty());
        }
    }

    /**
     * What fixes a configured image: the same vetting as for a Dockerfile, then a change where it
     * is configured (rewriting Dockerfiles does not reach a POM), to the name vetted, pinned by the
     * digest it holds when digests are required.
     */
    private Violation configuredFix(
            Violation v, ImageSource source, boolean requireDigest, RegistryClient client) {
        return switch (v.rule()) {
            case UNRESOLVED ->
                    withFix(
                            v,
                            Message.of(
                                    "gate.fix-configured-unresolved",
                                    "set {0} to a trusted image",
                                    source.what()),
                            List.of(),
                            Optional.empty());
            case UNTRUSTED -> {
                if (v.fixes().isEmpty()) {
                    yield v; // the mapping rules cannot place it: the fix says what to change
                }
                Fix vet = v.fixes().get(0);
                String target = vet.inputs().get(Field.TARGET);
                if (!requireDigest) {
                    yield withFix(
                            v,
                            Message.of(
                                    "gate.fix-configured-untrusted",
                                    "{0}, then set {1} to {2}",
                                    vet,
                                    source.what(),
                                    target),
                            List.of(vet),
                            Optional.of(
                                    new Edit(source.what(), source.file(), source.line(), target)));
                }
                // Pinned: the vet takes the very digest the source holds now (all its platforms),
                // which is the digest then promoted under the target.
                ImageReference image = v.ref().reference().orElseThrow();
                Optional<Digest> digest = image.digest().or(() -> currentDigest(client, image));
                if (digest.isEmpty()) {
                    yield withFix(
                            v,
                            Message.of(
                                    "gate.fix-configured-untrusted-pinned",
                                    "{0}, then set {1} to {2} pinned by the digest the vet prints ({2}@sha256:<digest>)",
                                    vet,
                                    source.what(),
                                    target),
                            List.of(vet),
                            Optional.empty());
                }
                Fix pinnedVet = vet.with(Field.SOURCE, image.withDigest(digest.get()).toString());
                String pinned = ImageReference.parse(target).withDigest(digest.get()).toString();
                yield withFix(
                        v,
                        Message.of(
                                "gate.fix-configured-untrusted",
                                "{0}, then set {1} to {2}",
                                pinnedVet,
                                source.what(),
                                pinned),
                        List.of(pinnedVet),
                        Optional.of(new Edit(source.what(), source.file(), source.line(), pinned)));
            }
            case UNPINNED -> {
                ImageReference image = v.ref().reference().orElseThrow();
                Optional<Digest> digest = currentDigest(client, image);
                if (digest.isEmpty()) {
                    yield withFix(
                            v,
                            Message.of(
                                    "gate.fix-configured-unpinned-unknown",
                                    "set {0} to {1} pinned by the digest its tag holds ({1}@sha256:<digest>); the registry could not be asked for it",
                                    source.what(),
                                    image),
                            List.of(),
                            Optional.empty());
                }
                String pinned = image.withDigest(digest.get()).toString();
                yield withFix(
                        v,
                        Message.of(
                                "gate.fix-configured-unpinned",
                                "set {0} to {1}",
                                source.what(),
                                pinned),
                        List.of(),
                        Optional.of(new Edit(source.what(), source.file(), source.line(), pinned)));
            }
            case NOT_VETTED -> v;
        };
    }

    private static Violation withFix(
            Violation v, Message fix, List<Fix> fixes, Optional<Edit> edit) {
        return new Violation(v.ref(), v.rule(), v.reason(), fix, fixes, edit);
    }

    /**
     * The digest {@code image}'s tag holds, for a fix to name; empty when the registry cannot be
     * asked (the gate's own checks do not need it) or does not have it.
     */
    private Optional<Digest> currentDigest(RegistryClient client, ImageReference image) {
        if (image.tag().isEmpty()) {
            return Optional.empty();
        }
        try {
            if (client != null) {
                return client.pull(image).headManifest(image.tag().get()).map(Descriptor::digest);
            }
            try (RegistryClient own = gate.client(TransportListener.NONE)) {
                return own.pull(image).headManifest(image.tag().get()).map(Descriptor::digest);
            }
        } catch (ImageGateException e) {
            return Optional.empty();
        }
    }
}
