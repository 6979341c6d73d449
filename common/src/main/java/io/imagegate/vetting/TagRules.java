package io.imagegate.vetting;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.ImageReference;
import io.imagegate.reference.InvalidReferenceException;
import io.imagegate.registry.auth.EnvironmentCredentials;
import io.imagegate.semver.SemVer;
import io.imagegate.semver.SemVerRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Rules in a sync file: entries that select upstream tags (and, with {@code *}, repositories)
 * instead of naming one image. Checked whole when the file is read: a rule that can never work, a
 * credential set that holds a secret, and two rules that write to the same target are refused
 * there, naming their lines; what a rule selects is decided when it runs ({@link #select}).
 */
public final class TagRules {
    private static final int MAX_PATTERNS = 64;
    private static final int MAX_PATTERN_LENGTH = 256;
    public static final int MAX_LATEST = 1000;

    private TagRules() {}

    /**
     * Which tags a rule selects: {@code semver} (a range as npm writes it), {@code allow} and
     * {@code deny} (regular expressions matching the whole tag; deny wins), and {@code latest} (the
     * newest N that remain, by version).
     */
    public record Filter(
            @JsonProperty("semver") String semver,
            @JsonProperty("allow") List<String> allow,
            @JsonProperty("deny") List<String> deny,
            @JsonProperty("latest") Integer latest) {
        public Filter {
            allow = allow == null ? List.of() : List.copyOf(allow);
            deny = deny == null ? List.of() : List.copyOf(deny);
        }
    }

    /**
     * What a filter made of a listing: the tags selected (oldest first), and the tags {@code
     * latest} could not order because they are not versions (left out).
     */
    public record Selection(List<String> tags, List<String> unordered) {}

    /** The tags of {@code listed} that {@code filter} selects. */
    public static Selection select(Filter filter, List<String> listed) {
        Optional<SemVerRange> range =
                filter.semver() == null
                        ? Optional.empty()
                        : Optional.of(SemVerRange.parse(filter.semver()));
        List<Pattern> allow = filter.allow().stream().map(Pattern::compile).toList();
        List<Pattern> deny = filter.deny().stream().map(Pattern::compile).toList();
        List<String> kept = new ArrayList<>();
        for (String tag : listed) {
            if (deny.stream().anyMatch(p -> p.matcher(tag).matches())) {
                continue;
            }
            if (!allow.isEmpty() && allow.stream().noneMatch(p -> p.matcher(tag).matches())) {
                continue;
            }
            if (range.isPresent()) {
                Optional<SemVer> version = SemVer.ofTag(tag);
                if (version.isEmpty() || !range.get().test(version.get())) {
                    continue;
                }
            }
            kept.add(tag);
        }
        Comparator<String> byVersion =
                Comparator.comparing(
                        (String t) -> SemVer.ofTag(t).orElse(null),
                        Comparator.nullsFirst(Comparator.naturalOrder()));
        if (filter.latest() == null) {
            return new Selection(
                    kept.stream().sorted(byVersion.thenComparing(t -> t)).toList(), List.of());
        }
        List<String> unordered =
                kept.stream().filter(t -> SemVer.ofTag(t).isEmpty()).sorted().toList();
        List<String> versions =
                kept.stream().filter(t -> SemVer.ofTag(t).isPresent()).sorted(byVersion).toList();
        List<String> newest =
                versions.subList(Math.max(0, versions.size() - filter.latest()), versions.size());
        return new Selection(List.copyOf(newest), unordered);
    }

    // ---------------------------------------------------------------- checks when the file is read

    /** The source or target repository of a rule, without {@code /*}. */
    public record Repository(String registry, String repository, boolean wildcard) {
        /** {@code registry/repository} as references name it, {@code /*} for a wildcard. */
        @Override
        public String toString() {
            return registry + "/" + repository + (wildcard ? "/*" : "");
        }

        /** Whether anything written under this overlaps what is written under {@code other}. */
        boolean overlaps(Repository other) {
            if (!registry.equalsIgnoreCase(other.registry)) {
                return false;
            }
            if (repository.equals(other.repository)) {
                return true;
            }
            return (wildcard && other.repository.startsWith(repository + "/"))
                    || (other.wildcard && repository.startsWith(other.repository + "/"));
        }
    }

    /**
     * A rule's source or target: a repository without tag or digest, or {@code prefix/*}.
     *
     * @throws ImageGateException naming the line when it is neither
     */
    public static Repository repository(Path file, SyncFile.Entry rule, String key, String text) {
        String value = text.strip();
        boolean wildcard = value.endsWith("/*");
        String name = wildcard ? value.substring(0, value.length() - 2) : value;
        if (name.contains("*")) {
            throw at(
                    file,
                    rule,
                    "sync.rule-wildcard",
                    "{0} \"{1}\": a wildcard stands only for the last part of the repository"
                            + " (prefix/*)",
                    key,
                    value);
        }
        ImageReference ref;
        try {
            ref = ImageReference.parse(name);
        } catch (InvalidReferenceException e) {
            throw at(file, rule, "sync.rule-reference", "{0}: {1}", key, e.getMessage());
        }
        int lastSlash = name.lastIndexOf('/');
        if (name.indexOf('@') >= 0 || name.indexOf(':', lastSlash + 1) >= 0) {
            throw at(
                    file,
                    rule,
                    "sync.rule-tagged",
                    "{0} \"{1}\" names a tag or digest, but the entry selects tags (tags:): name"
                            + " the repository alone, e.g. docker.io/library/alpine",
                    key,
                    value);
        }
        if (wildcard && name.indexOf('/') < 0) {
            throw at(
                    file,
                    rule,
                    "sync.rule-wildcard",
                    "{0} \"{1}\": a wildcard needs the registry before it"
                            + " (registry.example.com/prefix/*)",
                    key,
                    value);
        }
        return new Repository(ref.registry(), ref.repository(), wildcard);
    }

    /** Checks every rule, credential set and anonymous registry of a sync file just read. */
    static void check(Path file, SyncFile sync) {
        for (Map.Entry<String, SyncFile.CredentialSet> set : sync.credentialSets().entrySet()) {
            checkCredentialSet(file, set.getKey(), set.getValue());
        }
        List<String> anonymous = new ArrayList<>();
        for (String host : sync.anonymous()) {
            Optional<String> key = ImageReference.registryKey(host == null ? "" : host.strip());
            if (key.isEmpty()) {
                throw ImageGateException.configuration(
                        "sync.anonymous-host",
                        "the sync file {0}, anonymous: \"{1}\" is not a registry; write host[:port],"
                                + " e.g. docker.io",
                        file,
                        String.valueOf(host));
            }
            anonymous.add(key.get());
        }
        List<SyncFile.Entry> rules = new ArrayList<>();
        List<Repository> targets = new ArrayList<>();
        for (SyncFile.Entry entry : sync.images()) {
            if (entry.credentialSet() != null) {
                if (!sync.credentialSets().containsKey(entry.credentialSet())) {
                    throw at(
                            file,
                            entry,
                            "sync.credential-set-unknown",
                            "credentialSet \"{0}\" is not defined under credentialSets (defined:"
                                    + " {1})",
                            entry.credentialSet(),
                            sync.credentialSets().isEmpty()
                                    ? "none"
                                    : String.join(", ", sync.credentialSets().keySet()));
                }
                String registry = sourceRegistry(entry);
                if (registry != null && anonymous.contains(registry)) {
                    throw at(
                            file,
                            entry,
                            "sync.credential-set-anonymous",
                            "credentialSet \"{0}\" is for {1}, which the sync file reads anonymously"
                                    + " (anonymous:); drop one of them",
                            entry.credentialSet(),
                            registry);
                }
            }
            if (!entry.isRule()) {
                if (entry.repositories() != null) {
                    throw at(
                            file,
                            entry,
                            "sync.repositories-without-wildcard",
                            "repositories: is for a source that ends in /* (a rule over"
                                    + " repositories)");
                }
                continue;
            }
            Repository source = repository(file, entry, "source", entry.source());
            Repository target = repository(file, entry, "target", entry.target());
            if (source.wildcard() != target.wildcard()) {
                throw at(
                        file,
                        entry,
                        "sync.rule-wildcard-pair",
                        "source {0} and target {1}: a wildcard source needs a wildcard target,"
                                + " and only then",
                        source,
                        target);
            }
            if (entry.tags() == null) {
                throw at(
                        file,
                        entry,
                        "sync.rule-no-tags",
                        "a rule over repositories needs tags: to say which tags it selects (semver,"
                                + " allow, deny, latest)");
            }
            if (entry.repositories() != null) {
                if (!source.wildcard()) {
                    throw at(
                            file,
                            entry,
                            "sync.repositories-without-wildcard",
                            "repositories: is for a source that ends in /* (a rule over"
                                    + " repositories)");
                }
                for (String repo : entry.repositories()) {
                    checkRepositoryName(file, entry, source, repo);
                }
            }
            checkFilter(file, entry, entry.tags());
            for (int i = 0; i < rules.size(); i++) {
                if (targets.get(i).overlaps(target)) {
                    throw ImageGateException.configuration(
                            "sync.rule-overlap",
                            "the sync file {0}: the rules on line {1} and line {2} both write"
                                    + " under {3} and {4}; one target takes one rule: split the"
                                    + " repositories or merge the rules",
                            file,
                            rules.get(i).line(),
                            entry.line(),
                            targets.get(i),
                            target);
                }
            }
            rules.add(entry);
            targets.add(target);
        }
    }

    private static String sourceRegistry(SyncFile.Entry entry) {
        try {
            String s = entry.source().strip();
            return ImageReference.parse(s.endsWith("/*") ? s.substring(0, s.length() - 2) : s)
                    .registry();
        } catch (RuntimeException e) {
            return null; // the entry's own error, when it runs
        }
    }

    private static void checkRepositoryName(
            Path file, SyncFile.Entry entry, Repository source, String repo) {
        String name = repo == null ? "" : repo.strip();
        boolean valid;
        try {
            ImageReference ref =
                    ImageReference.parse(
                            source.registry() + "/" + source.repository() + "/" + name);
            valid =
                    !name.isEmpty()
                            && ref.repository().equals(source.repository() + "/" + name)
                            && ref.tag().equals(Optional.of(ImageReference.DEFAULT_TAG))
                            && !name.contains(":");
        } catch (RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw at(
                    file,
                    entry,
                    "sync.repositories-invalid",
                    "repositories: \"{0}\" is not a repository name under {1} (lower case, no tag)",
                    String.valueOf(repo),
                    source);
        }
    }

    private static void checkFilter(Path file, SyncFile.Entry entry, Filter filter) {
        if (filter.semver() == null
                && filter.allow().isEmpty()
                && filter.latest() == null
                && filter.deny().isEmpty()) {
            throw at(
                    file,
                    entry,
                    "sync.rule-empty-filter",
                    "tags: selects nothing in particular; give semver, allow or latest (a rule"
                            + " never takes every tag by accident)");
        }
        if (filter.semver() != null) {
            try {
                SemVerRange.parse(filter.semver());
            } catch (SemVerRange.InvalidRangeException e) {
                throw at(
                        file,
                        entry,
                        "sync.rule-semver",
                        "tags.semver \"{0}\" is not a version range: {1}",
                        filter.semver(),
                        e.getMessage());
            }
        }
        checkPatterns(file, entry, "allow", filter.allow());
        checkPatterns(file, entry, "deny", filter.deny());
        if (filter.latest() != null && (filter.latest() < 1 || filter.latest() > MAX_LATEST)) {
            throw at(
                    file,
                    entry,
                    "sync.rule-latest",
                    "tags.latest must be between 1 and {0}, not {1}",
                    MAX_LATEST,
                    filter.latest());
        }
    }

    private static void checkPatterns(
            Path file, SyncFile.Entry entry, String key, List<String> patterns) {
        if (patterns.size() > MAX_PATTERNS) {
            throw at(
                    file,
                    entry,
                    "sync.rule-patterns",
                    "tags.{0} lists more than {1} patterns",
                    key,
                    MAX_PATTERNS);
        }
        for (String p : patterns) {
            if (p == null || p.isEmpty() || p.length() > MAX_PATTERN_LENGTH) {
                throw at(
                        file,
                        entry,
                        "sync.rule-pattern",
                        "tags.{0}: a pattern must have 1 to {1} characters",
                        key,
                        MAX_PATTERN_LENGTH);
            }
            try {
                Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                throw at(
                        file,
                        entry,
                        "sync.rule-pattern",
                        "tags.{0} \"{1}\" is not a regular expression: {2}",
                        key,
                        p,
                        e.getDescription());
            }
            if (p.startsWith("-")) {
                // A tag never starts with '-': a pattern matched against the whole tag never would.
                throw at(
                        file,
                        entry,
                        "sync.rule-pattern-anchored",
                        "tags.{0} \"{1}\" must match the whole tag, which never starts with \"-\":"
                                + " write \".*{1}.*\" to match it anywhere",
                        key,
                        p);
            }
        }
    }

    private static void checkCredentialSet(Path file, String name, SyncFile.CredentialSet set) {
        boolean env = set != null && set.env() != null;
        boolean docker = set != null && Boolean.TRUE.equals(set.dockerConfig());
        if (env == docker) {
            throw ImageGateException.configuration(
                    "sync.credential-set-kind",
                    "the sync file {0}, credentialSets.{1}: give either env: USER_VAR:PASSWORD_VAR"
                            + " or dockerConfig: true",
                    file,
                    name);
        }
        if (env && !EnvironmentCredentials.isReference(set.env())) {
            // the value is not echoed: it may be a secret written by mistake
            throw ImageGateException.configuration(
                    "sync.credential-set-env",
                    "the sync file {0}, credentialSets.{1}.env is not the name of an environment"
                            + " variable (VAR holding user:password, or USER_VAR:PASSWORD_VAR);"
                            + " never write the secret itself",
                    file,
                    name);
        }
    }

    private static ImageGateException at(
            Path file, SyncFile.Entry entry, String code, String template, Object... args) {
        Object[] all = new Object[args.length + 2];
        all[0] = file;
        all[1] = entry.line() > 0 ? " line " + entry.line() : "";
        for (int i = 0; i < args.length; i++) {
            all[i + 2] = args[i];
        }
        // the template's own {0}, {1}… follow the file and the line
        StringBuilder shifted = new StringBuilder();
        java.util.regex.Matcher m = Pattern.compile("\\{(\\d+)}").matcher(template);
        while (m.find()) {
            m.appendReplacement(shifted, "{" + (Integer.parseInt(m.group(1)) + 2) + "}");
        }
        m.appendTail(shifted);
        return ImageGateException.configuration(code, "the sync file {0}{1}: " + shifted, all);
    }
}
