package io.imagegate.semver;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version range as npm (node-semver) and regsync write them: comparators ({@code >=3.19.0},
 * {@code <4}), separated by spaces (all must hold) and {@code ||} (either set may hold); hyphen
 * ranges ({@code 1.2 - 2.3.4}); x-ranges ({@code 3.x}, {@code 3.19.*}, {@code 3}); tilde ({@code
 * ~3.19.1}: patch updates) and caret ({@code ^3.19.1}: no change to the leftmost non-zero part).
 * Partial versions fill in as npm does: {@code <4} is below 4.0.0's first pre-release, {@code
 * >3.19} is from 3.20.0 on, {@code <=3.19} includes every 3.19.x.
 *
 * <p>Numbers may have leading zeros, as tags do ({@code >=20.04} is {@code >=20.4}), which npm
 * refuses.
 *
 * <p>A pre-release version matches only when a comparator of the same set names a pre-release of
 * the same major.minor.patch (npm's rule): {@code >=3.20.0-rc.1 <4} selects {@code 3.20.0-rc.2} but
 * not {@code 3.21.0-rc.1}, and {@code >=3.19} selects no pre-release at all.
 */
public final class SemVerRange {
    /** Ranges are written by people; anything longer is a mistake or an attack. */
    public static final int MAX_LENGTH = 1024;

    private static final int MAX_COMPARATORS = 64;

    /**
     * A part of a partial version: a number, or a wildcard. Leading zeros are allowed, as tags have
     * them ({@code >=20.04}).
     */
    private static final String XR = "(?:[xX*]|\\d{1,15})";

    private static final Pattern PARTIAL =
            Pattern.compile(
                    "[vV=]?("
                            + XR
                            + ")(?:\\.("
                            + XR
                            + ")(?:\\.("
                            + XR
                            + ")(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?"
                            + "(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?)?");

    private static final Pattern OPERATOR = Pattern.compile("(<=|>=|<|>|=|~>|~|\\^)?(.*)");

    /** Why a range cannot be read, in words for the person who wrote it. */
    public static final class InvalidRangeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidRangeException(String message) {
            super(message);
        }
    }

    private enum Op {
        LT,
        LE,
        GT,
        GE,
        EQ
    }

    private record Comparator(Op op, SemVer version) {
        boolean test(SemVer v) {
            int c = v.precedence(version);
            return switch (op) {
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
                case EQ -> c == 0;
            };
        }
    }

    private final String text;
    private final List<List<Comparator>> sets;

    private SemVerRange(String text, List<List<Comparator>> sets) {
        this.text = text;
        this.sets = sets;
    }

    /**
     * Reads a range.
     *
     * @throws InvalidRangeException naming the part that is not a range
     */
    public static SemVerRange parse(String range) {
        if (range == null) {
            throw new InvalidRangeException("no range was given");
        }
        if (range.length() > MAX_LENGTH) {
            throw new InvalidRangeException(
                    "the range is longer than " + MAX_LENGTH + " characters");
        }
        List<List<Comparator>> sets = new ArrayList<>();
        int count = 0;
        for (String alternative : range.split("\\|\\|", -1)) {
            List<Comparator> set = parseSet(alternative.strip());
            count += set.size();
            if (count > MAX_COMPARATORS) {
                throw new InvalidRangeException(
                        "the range has more than " + MAX_COMPARATORS + " comparators");
            }
            sets.add(List.copyOf(set));
        }
        return new SemVerRange(range, List.copyOf(sets));
    }

    /** Whether the version lies in the range. */
    public boolean test(SemVer version) {
        for (List<Comparator> set : sets) {
            if (testSet(set, version)) {
                return true;
            }
        }
        return false;
    }

    private static boolean testSet(List<Comparator> set, SemVer version) {
        for (Comparator c : set) {
            if (!c.test(version)) {
                return false;
            }
        }
        if (!version.isPrerelease()) {
            return true;
        }
        // npm: a pre-release counts only when the range names one of the same release
        for (Comparator c : set) {
            if (c.version().isPrerelease() && c.version().sameRelease(version)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }

    // ---------------------------------------------------------------- parsing

    private static List<Comparator> parseSet(String set) {
        List<Comparator> out = new ArrayList<>();
        if (set.isEmpty()) {
            out.add(new Comparator(Op.GE, SemVer.of(0, 0, 0, List.of())));
            return out;
        }
        // "1.2.3 - 2.3.4": a hyphen with spaces around it
        String[] hyphen = set.split("\\s+-\\s+", -1);
        if (hyphen.length == 2) {
            Partial from = partial(hyphen[0].strip(), set);
            Partial to = partial(hyphen[1].strip(), set);
            out.add(new Comparator(Op.GE, from.lowest()));
            addUpper(out, to, true);
            return out;
        }
        if (hyphen.length > 2) {
            throw new InvalidRangeException("\"" + set + "\" has more than one hyphen range");
        }
        // ">= 1.2.3" is npm's ">=1.2.3": an operator and its version may be apart
        String joined = set.replaceAll("(<=|>=|<|>|=|~>|~|\\^)\\s+", "$1");
        for (String token : joined.split("\\s+")) {
            comparator(token, out);
        }
        return out;
    }

    private static void comparator(String token, List<Comparator> out) {
        Matcher m = OPERATOR.matcher(token);
        if (!m.matches()) {
            throw new InvalidRangeException("\"" + token + "\" is not a comparator");
        }
        String op = m.group(1) == null ? "" : m.group(1);
        Partial p = partial(m.group(2), token);
        switch (op) {
            case "", "=" -> {
                if (p.isExact()) {
                    out.add(new Comparator(Op.EQ, p.lowest()));
                } else if (!p.isAny()) {
                    out.add(new Comparator(Op.GE, p.lowest()));
                    addUpper(out, p, true);
                } else {
                    out.add(new Comparator(Op.GE, SemVer.of(0, 0, 0, List.of())));
                }
            }
            case ">=" -> out.add(new Comparator(Op.GE, p.lowest()));
            case ">" -> {
                if (p.isExact()) {
                    out.add(new Comparator(Op.GT, p.lowest()));
                } else if (p.isAny()) {
                    out.add(new Comparator(Op.LT, SemVer.of(0, 0, 0, List.of("0")))); // nothing
                } else {
                    out.add(new Comparator(Op.GE, p.next()));
                }
            }
            case "<" -> out.add(new Comparator(Op.LT, p.lowestOrFirstPrerelease()));
            case "<=" -> {
                if (p.isAny()) {
                    out.add(new Comparator(Op.GE, SemVer.of(0, 0, 0, List.of())));
                } else {
                    addUpper(out, p, true);
                }
            }
            case "~", "~>" -> {
                out.add(new Comparator(Op.GE, p.lowest()));
                if (p.major() != null) {
                    Partial upTo =
                            p.minor() == null
                                    ? new Partial(p.major(), null, null, List.of())
                                    : new Partial(p.major(), p.minor(), null, List.of());
                    addUpper(out, upTo, true);
                }
            }
            case "^" -> {
                out.add(new Comparator(Op.GE, p.lowest()));
                caretUpper(out, p);
            }
            default -> throw new InvalidRangeException("\"" + token + "\" is not a comparator");
        }
    }

    /** The upper bound of a caret range: the leftmost non-zero part may not change. */
    private static void caretUpper(List<Comparator> out, Partial p) {
        if (p.major() == null) {
            return; // ^* is anything
        }
        long major = p.major();
        if (major > 0 || p.minor() == null) {
            out.add(new Comparator(Op.LT, SemVer.of(major + 1, 0, 0, List.of("0"))));
            return;
        }
        long minor = p.minor();
        if (minor > 0 || p.patch() == null) {
            out.add(new Comparator(Op.LT, SemVer.of(0, minor + 1, 0, List.of("0"))));
            return;
        }
        out.add(new Comparator(Op.LT, SemVer.of(0, 0, p.patch() + 1, List.of("0"))));
    }

    /**
     * {@code <=p}: an exact version is included; a partial one includes all it stands for (below
     * the next one's first pre-release).
     */
    private static void addUpper(List<Comparator> out, Partial p, boolean inclusive) {
        if (p.isAny()) {
            return;
        }
        if (p.isExact()) {
            out.add(new Comparator(inclusive ? Op.LE : Op.LT, p.lowest()));
            return;
        }
        SemVer next = p.next();
        out.add(
                new Comparator(
                        Op.LT, SemVer.of(next.major(), next.minor(), next.patch(), List.of("0"))));
    }

    /** A version with parts left out or written as wildcards: null for each such part. */
    private record Partial(Long major, Long minor, Long patch, List<String> prerelease) {
        boolean isAny() {
            return major == null;
        }

        boolean isExact() {
            return patch != null;
        }

        SemVer lowest() {
            return SemVer.of(
                    major == null ? 0 : major,
                    minor == null ? 0 : minor,
                    patch == null ? 0 : patch,
                    patch == null ? List.of() : prerelease);
        }

        /** {@code <1.2} is below 1.2.0's first pre-release; {@code <1.2.3} below 1.2.3. */
        SemVer lowestOrFirstPrerelease() {
            if (major == null) {
                return SemVer.of(0, 0, 0, List.of("0"));
            }
            return isExact() ? lowest() : SemVer.of(major, nz(minor), 0, List.of("0"));
        }

        /** The first version past everything a partial stands for. */
        SemVer next() {
            if (minor == null) {
                return SemVer.of(major + 1, 0, 0, List.of());
            }
            if (patch == null) {
                return SemVer.of(major, minor + 1, 0, List.of());
            }
            return SemVer.of(major, minor, patch + 1, List.of());
        }

        private static long nz(Long n) {
            return n == null ? 0 : n;
        }
    }

    private static Partial partial(String text, String where) {
        Matcher m = PARTIAL.matcher(text);
        if (!m.matches()) {
            throw new InvalidRangeException(
                    "\""
                            + where
                            + "\" is not a version or comparator (e.g. >=3.19.0 <4, ^1.2, 3.x)");
        }
        Long major = number(m.group(1));
        Long minor = major == null ? null : number(m.group(2));
        Long patch = minor == null ? null : number(m.group(3));
        List<String> pre =
                patch == null || m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return new Partial(major, minor, patch, pre);
    }

    private static Long number(String part) {
        if (part == null || part.equalsIgnoreCase("x") || part.equals("*")) {
            return null;
        }
        return Long.parseLong(part);
    }
}
