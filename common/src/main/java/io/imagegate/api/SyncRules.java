package io.imagegate.api;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.vetting.SyncFile;
import io.imagegate.vetting.TagRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The stage before a sync vets anything: each rule of the sync file becomes the images it selects
 * now (one entry per upstream tag, as if written out), so that everything after (two requests per
 * unchanged image, ordering, parallelism, reports) treats them as any other image. A rule that
 * cannot be expanded (no such repository, a listing over its bounds, no catalog) is that rule's
 * error, reported with the images; the other entries still sync. A rule that selects nothing is a
 * warning. An image written out in the file wins over the same target selected by a rule.
 */
final class SyncRules {
    /** The sync file with rules replaced by their images, and the rules that failed. */
    record Expanded(SyncFile sync, List<SyncResult.Entry> failed) {}

    private SyncRules() {}

    static Expanded expand(
            Path file,
            SyncFile sync,
            SyncClients clients,
            RemoteRepository.TagLimits limits,
            ProgressListener progress) {
        if (sync.images().stream().noneMatch(SyncFile.Entry::isRule)) {
            return new Expanded(sync, List.of());
        }
        Set<String> written = new HashSet<>();
        for (SyncFile.Entry entry : sync.images()) {
            if (!entry.isRule()) {
                key(entry.target()).ifPresent(written::add);
            }
        }
        List<SyncFile.Entry> images = new ArrayList<>();
        List<SyncResult.Entry> failed = new ArrayList<>();
        for (SyncFile.Entry entry : sync.images()) {
            if (!entry.isRule()) {
                images.add(entry);
                continue;
            }
            String rule = "the rule on line " + entry.line() + " of " + file.getFileName();
            TagRules.Repository source = TagRules.repository(file, entry, "source", entry.source());
            TagRules.Repository target = TagRules.repository(file, entry, "target", entry.target());
            RegistryClient client;
            List<String> repositories;
            try {
                client = clients.client(entry);
                repositories = repositories(client, source, entry, limits);
            } catch (ImageGateException e) {
                failed.add(failed(entry.source(), entry.target(), rule, e));
                continue;
            }
            int selected = 0;
            for (String suffix : repositories) {
                String from = join(source.repository(), suffix);
                String to = join(target.repository(), suffix);
                String fromName = source.registry() + "/" + from;
                String toName = target.registry() + "/" + to;
                try {
                    List<String> tags =
                            client.pull(ImageReference.of(source.registry(), from, "latest", null))
                                    .listTags(limits);
                    TagRules.Selection selection = TagRules.select(entry.tags(), tags);
                    if (!selection.unordered().isEmpty()) {
                        progress.info(
                                Message.neutralize(
                                        rule
                                                + ": latest orders versions only; left out "
                                                + selection.unordered().size()
                                                + " tag(s) of "
                                                + fromName
                                                + " that are not ("
                                                + String.join(
                                                        ", ",
                                                        selection.unordered().stream()
                                                                .limit(5)
                                                                .toList())
                                                + (selection.unordered().size() > 5 ? ", …" : "")
                                                + ")"));
                    }
                    for (String tag : selection.tags()) {
                        String imageTarget = toName + ":" + tag;
                        if (written.contains(key(imageTarget).orElse(imageTarget))) {
                            progress.info(
                                    Message.neutralize(
                                            rule
                                                    + ": "
                                                    + imageTarget
                                                    + " is written out in the file; that entry"
                                                    + " is used"));
                            continue;
                        }
                        if (images.size() >= SyncFile.MAX_IMAGES) {
                            throw ImageGateException.configuration(
                                    "sync.rule-too-many",
                                    "{0} selects more images than a sync takes ({1})",
                                    rule,
                                    SyncFile.MAX_IMAGES);
                        }
                        images.add(entry.selected(fromName + ":" + tag, imageTarget));
                        selected++;
                    }
                } catch (ImageGateException e) {
                    failed.add(failed(fromName, toName, rule, e));
                }
            }
            if (selected == 0) {
                progress.info(
                        Message.neutralize(
                                "warning: "
                                        + rule
                                        + " selects no tag of "
                                        + entry.source()
                                        + (repositories.isEmpty() ? " (no repository)" : "")));
            } else {
                progress.info(
                        Message.neutralize(
                                rule + " selects " + selected + " image(s) of " + entry.source()));
            }
        }
        return new Expanded(sync.withImages(images), failed);
    }

    /** The repositories a rule covers, as suffixes of its source ({@code ""} for one). */
    private static List<String> repositories(
            RegistryClient client,
            TagRules.Repository source,
            SyncFile.Entry entry,
            RemoteRepository.TagLimits limits) {
        if (!source.wildcard()) {
            return List.of("");
        }
        if (entry.repositories() != null) {
            return entry.repositories().stream().map(String::strip).toList();
        }
        List<String> all;
        try {
            all = client.catalog(source.registry(), limits);
        } catch (ImageGateException e) {
            throw ImageGateException.of(
                    ErrorKind.CONFIGURATION,
                    "sync.rule-catalog",
                    "{0} has no catalog imagegate may read ({1}); list the repositories of {2} in"
                            + " the rule (repositories: [...])",
                    source.registry(),
                    e.message(),
                    source);
        }
        String prefix = source.repository() + "/";
        return all.stream()
                .filter(r -> r.startsWith(prefix))
                .map(r -> r.substring(prefix.length()))
                .sorted()
                .toList();
    }

    private static String join(String repository, String suffix) {
        return suffix.isEmpty() ? repository : repository + "/" + suffix;
    }

    /** A target as a map key: the registry in lower case. */
    private static Optional<String> key(String target) {
        try {
            ImageReference ref = ImageReference.parse(target.strip());
            return Optional.of(
                    ref.registry().toLowerCase(Locale.ROOT)
                            + "/"
                            + ref.repository()
                            + ":"
                            + ref.tag().orElse(""));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static SyncResult.Entry failed(
            String source, String target, String rule, ImageGateException e) {
        ImageGateException named =
                ImageGateException.of(e.kind(), e.message().code(), "{0}: {1}", rule, e.message())
                        .withCause(e);
        return new SyncResult.Entry(
                source,
                target,
                Outcome.ERROR,
                Optional.of(named),
                "",
                "",
                false,
                false,
                List.of(),
                List.of());
    }
}
