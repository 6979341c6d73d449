package io.imagegate.dockerfile;

/** Go's notions of white space and case, which BuildKit's Dockerfile parser uses (not Java's). */
final class GoText {
    private GoText() {}

    /** unicode.IsSpace: \t \n \v \f \r, space, U+0085, U+00A0 and the Unicode space separators. */
    static boolean isSpace(int cp) {
        if (cp <= 0xFF) {
            return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0;
        }
        return Character.isSpaceChar(cp);
    }

    /** unicode.IsSpace(rune(b)) for one byte, as BuildKit's flag extraction applies it. */
    static boolean isByteSpace(int b) {
        return b == ' ' || (b >= '\t' && b <= '\r') || b == 0x85 || b == 0xA0;
    }

    /** [\t\v\f\r ] of the parser's whitespace regexp. */
    static boolean isSplitSpace(char c) {
        return c == ' ' || c == '\t' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** strings.ToLower: per code point simple lower case. */
    static String toLower(String s) {
        if (isAscii(s)) {
            return s.toLowerCase(java.util.Locale.ROOT);
        }
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(Character.toLowerCase(cp)));
        return out.toString();
    }

    /** strings.ToUpper: per code point simple upper case. */
    static String toUpper(String s) {
        if (isAscii(s)) {
            return s.toUpperCase(java.util.Locale.ROOT);
        }
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(Character.toUpperCase(cp)));
        return out.toString();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first code point of {@code s} in [from, to) that is not Go white space. */
    static int skipSpace(CharSequence s, int from, int to) {
        int i = from;
        while (i < to) {
            int cp = Character.codePointAt(s, i);
            if (!isSpace(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /**
     * Index just past the last code point of {@code s} in [from, to) that is not Go white space.
     */
    static int trimEnd(CharSequence s, int from, int to) {
        int i = to;
        while (i > from) {
            int cp = Character.codePointBefore(s, i);
            if (!isSpace(cp)) {
                break;
            }
            i -= Character.charCount(cp);
        }
        return i;
    }

    /** The length in UTF-8 bytes of s[from, to). */
    static long utf8Length(CharSequence s, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < to
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** [\t\n\f\r ]: \s in Go's regexp syntax. */
    static boolean isRegexpSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    /**
     * The parser directive regexp {@code ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$} over s[from, to),
     * without a regexp (a backtracking one is quadratic on long runs of spaces): where the key and
     * the value are, or null.
     */
    static DirectiveMatch directive(CharSequence s, int from, int to) {
        int i = from;
        if (i >= to || !isAsciiLetter(s.charAt(i))) {
            return null;
        }
        i++;
        while (i < to
                && (isAsciiLetter(s.charAt(i)) || (s.charAt(i) >= '0' && s.charAt(i) <= '9'))) {
            i++;
        }
        int keyEnd = i;
        while (i < to && isRegexpSpace(s.charAt(i))) {
            i++;
        }
        if (i >= to || s.charAt(i) != '=') {
            return null;
        }
        i++;
        int afterEquals = i;
        while (i < to && isRegexpSpace(s.charAt(i))) {
            i++;
        }
        if (i == to) {
            // Only white space after '=': (.+?) takes the last of it.
            return to > afterEquals ? new DirectiveMatch(from, keyEnd, to - 1, to) : null;
        }
        int end = to;
        while (end > i && isRegexpSpace(s.charAt(end - 1))) {
            end--;
        }
        return new DirectiveMatch(from, keyEnd, i, end);
    }

    /**
     * strconv.Atoi: an optional sign and decimal digits that fit in 64 bits; null when it is not a
     * number.
     */
    static Long atoi(String s) {
        if (s.isEmpty()) {
            return null;
        }
        int i = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        if (i == s.length()) {
            return null;
        }
        for (int k = i; k < s.length(); k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** path.Clean of an absolute path. */
    static String cleanPath(String path) {
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    /**
     * The offsets of a directive's key and value: [keyStart, keyEnd) and [valueStart, valueEnd).
     */
    record DirectiveMatch(int keyStart, int keyEnd, int valueStart, int valueEnd) {}

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
