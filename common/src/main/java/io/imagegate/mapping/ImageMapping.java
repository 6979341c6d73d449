package io.imagegate.mapping;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.ImageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where public images live in the private registry: rules from source prefixes to target prefixes,
 * first match wins. Import and rewrite use the same mapping, so what is imported and what
 * Dockerfiles point at agree.
 *
 * <p>The default rule is collision-free: {@code <target>/<source-host>/<path>}, so {@code
 * docker.io/prom/x} and {@code quay.io/prom/x} cannot meet.
 */
public final class ImageMapping {
    /** {@code source} prefix (a normalized registry/repository prefix) to {@code target} prefix. */
    public record Rule(String source, String target) {
        public Rule {
            source = normalizePrefix(source);
            target = stripSlashes(target);
            if (target.isEmpty()) {
                throw ImageGateException.usage(
                        Field.MAP,
                        "mapping.empty-target",
                        "the mapping rule for \"{0}\" ({1}) has an empty target",
                        source,
                        Field.MAP);
            }
        }

        boolean matches(String name) {
            return source.isEmpty() || name.equals(source) || name.startsWith(source + "/");
        }

        String apply(String name) {
            String rest = source.isEmpty() ? encodeHost(name) : name.substring(source.length());
            return target + (rest.isEmpty() || rest.startsWith("/") ? rest : "/" + rest);
        }
    }

    /**
     * The default rule puts the source host into a repository path, where ':' and brackets are not
     * allowed: {@code localhost:5000} becomes {@code localhost-5000}, {@code [::1]:5000} becomes
     * {@code ipv6---1-5000}.
     */
    static String encodeHost(String name) {
        int slash = name.indexOf('/');
        String host = name.substring(0, slash).toLowerCase(java.util.Locale.ROOT);
        String encoded =
                host.startsWith("[")
                        ? "ipv6-"
                                + host.substring(1, host.indexOf(']')).replace(':', '-')
                                + host.substring(host.indexOf(']') + 1).replace(':', '-')
                        : host.replace(':', '-');
        return encoded + name.substring(slash);
    }

    private final List<Rule> rules;

    public ImageMapping(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Parses {@code SRC_PREFIX=DST_PREFIX} rules; an empty source ({@code =DST}) is the
     * collision-free default.
     */
    public static ImageMapping parse(List<String> specs) {
        List<Rule> rules = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw ImageGateException.usage(
                        Field.MAP,
                        "mapping.syntax",
                        "the mapping rule \"{0}\" ({1}) must be SRC_PREFIX=DST_PREFIX, e.g. docker.io=registry.example.com/hub",
                        spec,
                        Field.MAP);
            }
            rules.add(new Rule(spec.substring(0, eq), spec.substring(eq + 1)));
        }
        return new ImageMapping(rules);
    }

    /** The mapped reference (tag and digest kept), or empty when no rule matches. */
    public Optional<ImageReference> map(ImageReference source) {
        String name = source.name();
        for (Rule rule : rules) {
            if (rule.matches(name)) {
                String mapped = rule.apply(name);
                int slash = mapped.indexOf('/');
                if (slash < 0) {
                    throw ImageGateException.usage(
                            Field.MAP,
                            "mapping.no-repository",
                            "mapping {0} gives \"{1}\", which names no repository",
                            name,
                            mapped);
                }
                try {
                    return Optional.of(
                            ImageReference.of(
                                    mapped.substring(0, slash),
                                    mapped.substring(slash + 1),
                                    source.tag().orElse(null),
                                    source.digest().orElse(null)));
                } catch (io.imagegate.reference.InvalidReferenceException e) {
                    throw ImageGateException.usage(
                            Field.MAP,
                            "mapping.invalid-result",
                            "the mapping rule {0}={1} turns {2} into an invalid reference ({3}); adjust the rule ({4})",
                            rule.source(),
                            rule.target(),
                            source,
                            e.rule(),
                            Field.MAP);
                }
            }
        }
        return Optional.empty();
    }

    /** The rules, in order. */
    public List<Rule> rules() {
        return rules;
    }

    /** Whether {@code reference} already lives under one of the rules' targets. */
    public boolean isTarget(ImageReference reference) {
        return rules.stream()
                .anyMatch(
                        r ->
                                reference.name().equals(r.target())
                                        || reference.name().startsWith(r.target() + "/"));
    }

    private static String normalizePrefix(String prefix) {
        String p = stripSlashes(prefix.strip());
        for (String alias :
                List.of("index.docker.io", "registry-1.docker.io", "registry.hub.docker.com")) {
            if (p.equals(alias) || p.startsWith(alias + "/")) {
                return ImageReference.DOCKER_HUB + p.substring(alias.length());
            }
        }
        return p;
    }

    private static String stripSlashes(String s) {
        String out = s;
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
