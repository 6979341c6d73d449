package io.imagegate.dockerfile;

import io.imagegate.reference.ImageReference;
import io.imagegate.reference.InvalidReferenceException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference written with variables in its tag or digest only, as in {@code
 * maven:3.9-eclipse-temurin-${JAVA_VERSION}}: the repository before them is plain text, so every
 * value of the variables names the same repository, and writing another repository there keeps the
 * variables (and with them what the build args choose).
 *
 * @param name the repository as written, e.g. {@code maven}
 * @param rest everything after it, from the {@code :} or {@code @} on, e.g. {@code
 *     :3.9-eclipse-temurin-${JAVA_VERSION}}
 */
public record TemplatedReference(String name, String rest) {
    /**
     * Characters that mean themselves to BuildKit's shell lexer: no quote, escape or {@code $}, so
     * the text before the first variable is the start of every expansion.
     */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/:@-]*");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

    /**
     * The split of {@code written}, when it uses a variable and the repository before the tag (or
     * digest) is plain text; empty when a variable may be part of the repository (or registry).
     */
    public static Optional<TemplatedReference> of(String written) {
        int dollar = written.indexOf('$');
        if (dollar <= 0) {
            return Optional.empty();
        }
        String plain = written.substring(0, dollar);
        if (!PLAIN.matcher(plain).matches()) {
            return Optional.empty();
        }
        int at = plain.indexOf('@');
        int nameEnd;
        if (at >= 0) {
            String beforeAt = plain.substring(0, at);
            int colon = beforeAt.lastIndexOf(':');
            nameEnd = colon > beforeAt.lastIndexOf('/') ? colon : at;
        } else {
            int colon = plain.lastIndexOf(':');
            if (colon <= plain.lastIndexOf('/')) {
                return Optional.empty(); // no tag separator yet: the variable is in the name
            }
            nameEnd = colon;
        }
        String name = plain.substring(0, nameEnd);
        if (written.indexOf('/', nameEnd) >= 0) {
            // A tag has no '/': the ':' was a port's (or the '/' is in a pattern); not guessed.
            return Optional.empty();
        }
        try {
            ImageReference.parse(name);
        } catch (InvalidReferenceException e) {
            return Optional.empty();
        }
        return Optional.of(new TemplatedReference(name, written.substring(nameEnd)));
    }

    /** The normalized repository the plain text names, e.g. {@code docker.io/library/maven}. */
    public String repository() {
        return ImageReference.parse(name).name();
    }

    /**
     * Whether {@code resolved} (an expansion of the written text) names this repository: a value
     * with a {@code /} or a port-like tag could make the text name another one.
     */
    public boolean names(ImageReference resolved) {
        return resolved.name().equals(repository());
    }

    /** The written text with {@code repository} (a normalized name) in place of the name. */
    public String withRepository(String repository) {
        return repository + rest;
    }

    /** The variables {@code written} uses, in order, e.g. {@code [JAVA_VERSION]}. */
    public static List<String> variables(String written) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(written);
        while (m.find()) {
            out.add(m.group(1));
        }
        return List.copyOf(out);
    }
}
