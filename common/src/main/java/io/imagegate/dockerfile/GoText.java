package io.imagegate.dockerfile;

/** Go's notions of white space and case, which BuildKit's Dockerfile parser uses (not Java's). */
final class GoText {
    private GoText() {
    }

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
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(Character.toLowerCase(cp)));
        return out.toString();
    }

    /** strings.ToUpper: per code point simple upper case. */
    static String toUpper(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(Character.toUpperCase(cp)));
        return out.toString();
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

    /** Index just past the last code point of {@code s} in [from, to) that is not Go white space. */
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
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
