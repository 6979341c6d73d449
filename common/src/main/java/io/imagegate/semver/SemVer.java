package io.imagegate.semver;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version (semver.org 2.0), as tags name them. Strict semver is {@code
 * MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}; {@link #ofTag} also reads the forms registries use, as
 * regsync and Renovate do: a leading {@code v} ({@code v1.2.3}), and one or two parts ({@code 3.20}
 * is 3.20.0, {@code 3} is 3.0.0). Whatever follows a {@code -} is a pre-release, so {@code
 * 3.20-alpine} is 3.20.0-alpine and a range selects it only as it selects pre-releases. Tags of
 * four parts ({@code 1.2.3.4}), dates written otherwise and words ({@code latest}) are not
 * versions.
 *
 * <p>Versions order as semver orders them, build metadata ignored; {@link #compareTo} breaks the
 * remaining ties by the form (a version written in full ranks above the same one written short) and
 * then by the text, so that {@code 3.20} and {@code 3.20.0} are distinct but adjacent.
 */
public record SemVer(long major, long minor, long patch, List<String> prerelease, String text)
        implements Comparable<SemVer> {
    /** Numbers longer than this are not versions (and would not fit a long). */
    private static final int MAX_DIGITS = 15;

    private static final int MAX_TEXT = 256;

    private static final String NUMBER = "(0|[1-9]\\d{0," + (MAX_DIGITS - 1) + "})";
    private static final String IDENTIFIER = "[0-9A-Za-z-]+";
    private static final Pattern STRICT =
            Pattern.compile(
                    NUMBER
                            + "\\."
                            + NUMBER
                            + "\\."
                            + NUMBER
                            + "(?:-("
                            + IDENTIFIER
                            + "(?:\\."
                            + IDENTIFIER
                            + ")*))?(?:\\+("
                            + IDENTIFIER
                            + "(?:\\."
                            + IDENTIFIER
                            + ")*))?");

    /** A tag: an optional v, one to three numbers (leading zeros allowed, as in 20.04). */
    private static final Pattern TAG =
            Pattern.compile(
                    "[vV]?(\\d{1,"
                            + MAX_DIGITS
                            + "})(?:\\.(\\d{1,"
                            + MAX_DIGITS
                            + "}))?(?:\\.(\\d{1,"
                            + MAX_DIGITS
                            + "}))?(?:-("
                            + IDENTIFIER
                            + "(?:\\."
                            + IDENTIFIER
                            + ")*))?(?:\\+("
                            + IDENTIFIER
                            + "(?:\\."
                            + IDENTIFIER
                            + ")*))?");

    public SemVer {
        prerelease = List.copyOf(prerelease);
    }

    /** A strict semver version ({@code 1.2.3-rc.1+build}), or empty. */
    public static Optional<SemVer> parse(String text) {
        if (text == null || text.length() > MAX_TEXT) {
            return Optional.empty();
        }
        Matcher m = STRICT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(of(m, text));
    }

    /**
     * The version a tag names, coerced as described above ({@code v1.2}, {@code 3.20}, {@code
     * 20.04}, {@code 1.2.3-rc.1}), or empty when the tag is not a version.
     */
    public static Optional<SemVer> ofTag(String tag) {
        if (tag == null || tag.length() > MAX_TEXT) {
            return Optional.empty();
        }
        Matcher m = TAG.matcher(tag);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(of(m, tag));
    }

    private static SemVer of(Matcher m, String text) {
        return new SemVer(
                Long.parseLong(m.group(1)),
                m.group(2) == null ? 0 : Long.parseLong(m.group(2)),
                m.group(3) == null ? 0 : Long.parseLong(m.group(3)),
                m.group(4) == null ? List.of() : List.of(m.group(4).split("\\.")),
                text);
    }

    /** A version made of numbers, for ranges' bounds. */
    static SemVer of(long major, long minor, long patch, List<String> prerelease) {
        StringBuilder text = new StringBuilder().append(major).append('.').append(minor);
        text.append('.').append(patch);
        if (!prerelease.isEmpty()) {
            text.append('-').append(String.join(".", prerelease));
        }
        return new SemVer(major, minor, patch, prerelease, text.toString());
    }

    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    /** Whether both have the same major, minor and patch. */
    boolean sameRelease(SemVer other) {
        return major == other.major && minor == other.minor && patch == other.patch;
    }

    /** Semver precedence: the text (build metadata, how the tag was written) is not looked at. */
    public int precedence(SemVer o) {
        int c = Long.compare(major, o.major);
        if (c == 0) {
            c = Long.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, o.patch);
        }
        if (c != 0) {
            return c;
        }
        if (prerelease.isEmpty() || o.prerelease.isEmpty()) {
            // a release ranks above its pre-releases
            return Boolean.compare(prerelease.isEmpty(), o.prerelease.isEmpty());
        }
        for (int i = 0; i < Math.min(prerelease.size(), o.prerelease.size()); i++) {
            c = compareIdentifiers(prerelease.get(i), o.prerelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(prerelease.size(), o.prerelease.size());
    }

    /** Numeric identifiers compare as numbers and rank below alphanumeric ones. */
    private static int compareIdentifiers(String a, String b) {
        boolean an = isNumeric(a);
        boolean bn = isNumeric(b);
        if (an && bn) {
            // no leading zeros to strip in strict semver; compare by length, then text, so long
            // numbers do not overflow
            String x = stripZeros(a);
            String y = stripZeros(b);
            return x.length() != y.length()
                    ? Integer.compare(x.length(), y.length())
                    : x.compareTo(y);
        }
        if (an != bn) {
            return an ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static boolean isNumeric(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String stripZeros(String s) {
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }

    /**
     * Precedence, then a version written in full ({@code 3.21.0}) above the same one written
     * otherwise ({@code v3.21}, {@code 3.21}), then the text: a total order consistent with equals.
     */
    @Override
    public int compareTo(SemVer o) {
        int c = precedence(o);
        if (c == 0) {
            c = Boolean.compare(STRICT.matcher(text).matches(), STRICT.matcher(o.text).matches());
        }
        return c != 0 ? c : text.compareTo(o.text);
    }

    @Override
    public String toString() {
        return text;
    }
}
