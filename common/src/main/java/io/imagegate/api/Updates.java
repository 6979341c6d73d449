package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.message.Vocabulary;
import io.imagegate.policy.Policy;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.TransportListener;
import io.imagegate.trust.PublicKeys;
import io.imagegate.update.Finding;
import io.imagegate.update.GitCommit;
import io.imagegate.update.Outputs;
import io.imagegate.update.Plan;
import io.imagegate.update.ProjectFiles;
import io.imagegate.update.RenovateDatasource;
import io.imagegate.update.Summary;
import io.imagegate.update.UnifiedDiff;
import io.imagegate.update.Updater;
import io.imagegate.update.VettingRules;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The update operation: one plan ({@link Updater}), then every output asked for made from it. Every
 * output's text is made, and every refusal it can meet checked, before the first is written.
 */
final class Updates {
    private final ImageGate gate;

    Updates(ImageGate gate) {
        this.gate = gate;
    }

    UpdateResult update(UpdateSpec spec, Vocabulary vocabulary) {
        Environment env = gate.settings().environment();
        Path base = Path.of(env.workingDirectory());
        List<ProjectFiles.Found> files = ProjectFiles.expand(base, spec.paths());
        Policy policy = Scanning.policy(env, spec.policy());
        List<PublicKeys.Key> keys = Vetting.verificationKeys(env, spec.verifyKeys(), policy);
        VettingRules rules =
                new VettingRules(
                        spec.anyPolicy() ? Optional.empty() : Optional.of(policy.digest()),
                        policy.maxVerdictAgeDuration(),
                        keys,
                        Instant.now());
        Plan plan;
        try (RegistryClient client = gate.client(TransportListener.NONE)) {
            plan = Updater.plan(client, files, spec.trusted(), rules);
        }
        String summary = Summary.markdown(plan, base, vocabulary);
        Map<Path, String> renovate = renovate(spec, base, plan);
        String patch = spec.patch() == null ? null : UnifiedDiff.of(base, plan.changedFiles());
        boolean writeFiles = spec.writesFiles() && plan.changed();
        if (patch != null) {
            plan.changedFiles().forEach(Outputs::unchanged);
        }
        Optional<String> branch =
                spec.branch() == null
                        ? Optional.empty()
                        : Optional.of(
                                spec.branch().isBlank()
                                        ? GitCommit.defaultBranch(plan.changedImages())
                                        : spec.branch().strip());
        boolean commit = spec.commit() && plan.changed();
        if (commit) {
            GitCommit.verify(base, plan.files());
        }
        if (writeFiles) {
            Outputs.writeFiles(plan.files());
        }
        String patchFile = "";
        if (patch != null) {
            Path file = base.resolve(spec.patch());
            Outputs.write(file, patch);
            patchFile = file.toString();
        }
        String summaryFile = "";
        if (spec.summary() != null) {
            Path file = base.resolve(spec.summary());
            Outputs.write(file, summary);
            summaryFile = file.toString();
        }
        renovate.forEach(Outputs::write);
        GitCommit.Committed committed = null;
        if (commit) {
            committed =
                    GitCommit.commit(
                            base, plan.files(), branch, GitCommit.message(plan.changedImages()));
        }
        return new UpdateResult(
                spec.check() && plan.changed() ? Outcome.CHANGES_NEEDED : Outcome.PASSED,
                Optional.empty(),
                plan.files().stream().map(f -> fileChange(f, writeFiles)).toList(),
                plan.images().stream().map(Updates::image).toList(),
                plan.held().stream()
                        .map(
                                h ->
                                        Message.of(
                                                "update.held",
                                                "{0}:{1}: {2} left as it is: {3}",
                                                h.file(),
                                                h.line(),
                                                h.written(),
                                                h.reason()))
                        .toList(),
                summary,
                patchFile,
                summaryFile,
                renovate.keySet().stream().map(Path::toString).toList(),
                committed == null ? "" : committed.branch(),
                committed == null ? "" : committed.commit());
    }

    /**
     * The Renovate documents by file: one per repository, {@code {repository}} in the name replaced
     * by it; several repositories need that placeholder.
     */
    private static Map<Path, String> renovate(UpdateSpec spec, Path base, Plan plan) {
        Map<Path, String> out = new LinkedHashMap<>();
        if (spec.renovateDatasource() == null) {
            return out;
        }
        Map<String, List<Plan.ImageChange>> byRepository = new LinkedHashMap<>();
        for (Plan.ImageChange image : plan.images()) {
            byRepository.computeIfAbsent(image.tag().name(), k -> new ArrayList<>()).add(image);
        }
        String pattern = spec.renovateDatasource();
        if (byRepository.size() > 1 && !pattern.contains("{repository}")) {
            throw ImageGateException.usage(
                    Field.RENOVATE_DATASOURCE,
                    "update.renovate-several",
                    "the vetted releases are of {0} repositories ({1}); a Renovate datasource"
                            + " answers for one: put '{repository}' in {2} to write one file each",
                    byRepository.size(),
                    String.join(", ", byRepository.keySet()),
                    Field.RENOVATE_DATASOURCE);
        }
        if (byRepository.isEmpty() && !pattern.contains("{repository}")) {
            out.put(base.resolve(pattern), RenovateDatasource.json(List.of()));
        }
        byRepository.forEach(
                (name, images) ->
                        out.put(
                                base.resolve(
                                        pattern.replace(
                                                "{repository}",
                                                name.replace('/', '-')
                                                        .replace(':', '-')
                                                        .toLowerCase(Locale.ROOT))),
                                RenovateDatasource.json(images)));
        return out;
    }

    private static UpdateResult.FileChange fileChange(Plan.FileEdit f, boolean written) {
        List<String> before = lines(f.original());
        List<String> after = lines(f.updated());
        List<String> diff = new ArrayList<>();
        for (int line : f.lines()) {
            if (line <= before.size()) {
                diff.add(Message.neutralize(f.file() + ":" + line + ": - " + before.get(line - 1)));
            }
            if (line <= after.size()) {
                diff.add(Message.neutralize(f.file() + ":" + line + ": + " + after.get(line - 1)));
            }
        }
        return new UpdateResult.FileChange(
                f.file().toString(),
                f.kind().name().toLowerCase(Locale.ROOT),
                f.changed(),
                written && f.changed(),
                f.lines(),
                diff);
    }

    /** Lines as the update counts them: ended by \n, a \r before it left out. */
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            out.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        return out;
    }

    private static UpdateResult.Image image(Plan.ImageChange i) {
        return new UpdateResult.Image(
                i.tag().toString(),
                i.from().stream().map(Object::toString).toList(),
                i.to().toString(),
                i.vettedAt().toString(),
                i.verdict().toString(),
                Message.neutralize(i.signer()),
                findings(i.fixed()),
                findings(i.introduced()),
                findings(i.stillPresent()),
                i.places().stream().map(Object::toString).toList());
    }

    private static List<String> findings(List<Finding> findings) {
        return findings.stream()
                .map(
                        f ->
                                Message.neutralize(
                                        f.severity()
                                                + " "
                                                + f.id()
                                                + " "
                                                + f.packageName()
                                                + " "
                                                + f.installedVersion()))
                .toList();
    }
}
