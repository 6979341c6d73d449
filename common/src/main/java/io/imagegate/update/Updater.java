package io.imagegate.update;

import io.imagegate.dockerfile.DockerfileReader;
import io.imagegate.dockerfile.DockerfileRewriter;
import io.imagegate.message.Message;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.vetting.VerdictDocument;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes an update: every reference under a trusted prefix, in Dockerfiles and in POMs' Jib
 * configuration, re-pinned to the digest its tag holds now, only when that digest has a PASS
 * verdict that counts ({@link VettingRules}). A reference whose newest digest is not vetted, whose
 * tag is gone, that names no tag, or that cannot be changed safely is left alone and reported.
 * Every file is read and parsed before anything is asked of a registry, so a file that cannot be
 * read fails the update with nothing written.
 */
public final class Updater {
    /** Allowlist entries expiring within this time are named in the summary. */
    public static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private final List<String> trusted;
    private final VettingRules rules;
    private final TagResolver resolver;

    private Updater(RegistryClient client, List<String> trusted, VettingRules rules) {
        this.trusted =
                trusted.stream()
                        .map(p -> p.strip().replaceAll("/+$", "").toLowerCase(Locale.ROOT))
                        .filter(p -> !p.isEmpty())
                        .toList();
        this.rules = rules;
        this.resolver = new TagResolver(client, rules);
    }

    /** The plan for these files. */
    public static Plan plan(
            RegistryClient client,
            List<ProjectFiles.Found> files,
            List<String> trusted,
            VettingRules rules) {
        return new Updater(client, trusted, rules).run(files);
    }

    private record Read(ProjectFiles.Found found, String text, List<PomImages.Site> sites) {}

    /** The re-pins per tag: the digests left and where. */
    private static final class Repins {
        final Set<Digest> from = new LinkedHashSet<>();
        final List<Plan.Place> places = new ArrayList<>();
    }

    private Plan run(List<ProjectFiles.Found> files) {
        List<Read> read = new ArrayList<>();
        for (ProjectFiles.Found found : files) {
            String text = ProjectFiles.read(found);
            if (found.kind() == Plan.Kind.DOCKERFILE) {
                // parsed now so that a bad Dockerfile fails the update before any registry is asked
                DockerfileReader.read(found.file(), text, Map.of(), Optional.empty());
                read.add(new Read(found, text, List.of()));
            } else {
                read.add(new Read(found, text, PomImages.read(found.file(), text)));
            }
        }
        Map<String, Repins> repins = new LinkedHashMap<>();
        Set<String> vettedTags = new LinkedHashSet<>();
        List<Plan.FileEdit> edits = new ArrayList<>();
        List<Plan.Held> held = new ArrayList<>();
        for (Read r : read) {
            Path file = r.found().file();
            if (r.found().kind() == Plan.Kind.DOCKERFILE) {
                DockerfileRewriter.Result result =
                        DockerfileRewriter.rewrite(
                                file, r.text(), current -> decide(current, vettedTags));
                for (DockerfileRewriter.Change c : result.changes()) {
                    if (c.skipped().isPresent()) {
                        if (!c.skipped().get().code().equals("rewrite.unresolved")) {
                            held.add(
                                    new Plan.Held(
                                            file,
                                            c.ref().line(),
                                            c.ref().written(),
                                            c.skipped().get()));
                        }
                    } else {
                        record(repins, c.ref().reference().orElseThrow(), file, c.ref().line());
                    }
                }
                edits.add(
                        new Plan.FileEdit(
                                file,
                                Plan.Kind.DOCKERFILE,
                                r.text(),
                                result.rewritten(),
                                changedLines(r.text(), result.rewritten())));
            } else {
                edits.add(pom(r, vettedTags, repins, held));
            }
        }
        List<Plan.ImageChange> images = new ArrayList<>();
        for (String key : vettedTags) {
            TagResolver.Newest newest = resolver.newest(ImageReference.parse(key));
            Repins done = repins.getOrDefault(key, new Repins());
            images.add(change(newest, done));
        }
        return new Plan(edits, images, held);
    }

    private Plan.FileEdit pom(
            Read r, Set<String> vettedTags, Map<String, Repins> repins, List<Plan.Held> held) {
        Path file = r.found().file();
        StringBuilder out = new StringBuilder(r.text());
        // from the end, so that earlier offsets stay valid
        List<PomImages.Site> sites = new ArrayList<>(r.sites());
        sites.sort(Comparator.comparingInt(PomImages.Site::start).reversed());
        List<Plan.Held> mine = new ArrayList<>();
        for (PomImages.Site site : sites) {
            if (site.problem().isPresent()) {
                mine.add(new Plan.Held(file, site.line(), site.written(), site.problem().get()));
                continue;
            }
            ImageReference current = site.reference().orElseThrow();
            DockerfileRewriter.Target target = decide(current, vettedTags);
            if (target.skipped().isPresent()) {
                mine.add(new Plan.Held(file, site.line(), site.written(), target.skipped().get()));
                continue;
            }
            if (target.reference().isEmpty() || target.reference().get().equals(current)) {
                continue;
            }
            int at = site.written().indexOf('@');
            String repinned =
                    (at < 0 ? site.written() : site.written().substring(0, at))
                            + "@"
                            + target.reference().get().digest().orElseThrow();
            out.replace(site.start(), site.end(), repinned);
            record(repins, current, file, site.line());
        }
        java.util.Collections.reverse(mine);
        held.addAll(mine);
        String updated = out.toString();
        return new Plan.FileEdit(
                file, Plan.Kind.POM, r.text(), updated, changedLines(r.text(), updated));
    }

    private boolean trusted(ImageReference image) {
        String name = image.name().toLowerCase(Locale.ROOT);
        return trusted.stream().anyMatch(p -> name.equals(p) || name.startsWith(p + "/"));
    }

    /** What a reference becomes: see the class comment. */
    private DockerfileRewriter.Target decide(ImageReference current, Set<String> vettedTags) {
        if (!trusted(current)) {
            return DockerfileRewriter.Target.none();
        }
        if (current.tag().isEmpty()) {
            return DockerfileRewriter.Target.skip(
                    Message.of(
                            "update.no-tag",
                            "{0} is pinned by digest alone: it names no tag to follow; write it"
                                    + " as name:tag@digest to have it updated",
                            current));
        }
        ImageReference tag = current.withoutDigest();
        TagResolver.Newest newest = resolver.newest(tag);
        if (!newest.vetted()) {
            return DockerfileRewriter.Target.skip(newest.held().orElseThrow());
        }
        vettedTags.add(tag.toString());
        Digest to = newest.digest().orElseThrow();
        if (current.digest().map(to::equals).orElse(false)) {
            return DockerfileRewriter.Target.none();
        }
        if (current.digest().isPresent()
                && newest.index()
                && resolver.old(tag, current.digest().get()).platformManifest()) {
            return DockerfileRewriter.Target.skip(
                    Message.of(
                            "update.platform-pin",
                            "{0} is pinned to one platform''s manifest; update re-pins to the"
                                    + " index the tag holds ({1}) only: re-pin it with rewrite"
                                    + " --pin-platform",
                            current,
                            to.shortForm()));
        }
        return DockerfileRewriter.Target.to(tag.withDigest(to));
    }

    private static void record(
            Map<String, Repins> repins, ImageReference from, Path file, int line) {
        Repins r = repins.computeIfAbsent(from.withoutDigest().toString(), k -> new Repins());
        from.digest().ifPresent(r.from::add);
        r.places.add(new Plan.Place(file, line));
    }

    private Plan.ImageChange change(TagResolver.Newest newest, Repins done) {
        VerdictDocument document = newest.document().orElseThrow();
        List<Finding> now = Finding.of(document.json());
        Map<String, Finding> before = new LinkedHashMap<>();
        for (Digest d : done.from) {
            resolver.old(newest.tag(), d).findings().forEach(f -> before.putIfAbsent(f.key(), f));
        }
        Set<String> nowKeys = new LinkedHashSet<>();
        now.forEach(f -> nowKeys.add(f.key()));
        List<Finding> fixed =
                before.values().stream()
                        .filter(f -> !nowKeys.contains(f.key()))
                        .sorted(Finding.ORDER)
                        .toList();
        List<Finding> introduced =
                done.from.isEmpty()
                        ? List.of()
                        : now.stream().filter(f -> !before.containsKey(f.key())).toList();
        List<Finding> still = now.stream().filter(f -> before.containsKey(f.key())).toList();
        LocalDate soon = rules.now().plus(EXPIRY_WARNING).atOffset(ZoneOffset.UTC).toLocalDate();
        List<VerdictDocument.Allowance> expiring =
                document.allowlisted().stream()
                        .filter(
                                a -> {
                                    try {
                                        return !LocalDate.parse(a.expires()).isAfter(soon);
                                    } catch (RuntimeException e) {
                                        return true;
                                    }
                                })
                        .toList();
        return new Plan.ImageChange(
                newest.tag(),
                new ArrayList<>(done.from),
                newest.digest().orElseThrow(),
                newest.verdict().orElseThrow().created().orElseThrow(),
                newest.verdict().get().artifact(),
                newest.signer(),
                fixed,
                introduced,
                still,
                expiring,
                done.places);
    }

    /** The 1-based lines that differ; the texts have the same lines, as edits stay in a line. */
    static List<Integer> changedLines(String before, String after) {
        List<String> a = Lines.withEndings(before);
        List<String> b = Lines.withEndings(after);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : null;
            String y = i < b.size() ? b.get(i) : null;
            if (x == null || !x.equals(y)) {
                out.add(i + 1);
            }
        }
        return out;
    }
}
