package io.imagegate.dockerfile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BuildKit's shell word processor (frontend/dockerfile/shell, lex.go), ported line by line: quotes,
 * escapes, {@code $V}, {@code ${V}}, {@code ${V:-w}}, {@code ${V-w}}, {@code ${V:+w}}, {@code
 * ${V+w}}, {@code ${V?w}}, {@code ${V#p}}, {@code ${V##p}}, {@code ${V%p}}, {@code ${V%%p}}, {@code
 * ${V/p/r}}, {@code ${V//p/r}}, and the {@code <<} heredoc marker. It works on code points like
 * Go's text/scanner, which also drops a leading BOM.
 */
final class ShellLex {
    /** Variable lookup; {@code null} when unset. */
    interface Env {
        String get(String name);
    }

    /** A word BuildKit refuses to process; the message is BuildKit's. */
    static final class ShellException extends Exception {
        private static final long serialVersionUID = 1L;

        ShellException(String message) {
            super(message, null, false, false);
        }
    }

    /** The processed word, its words (for ProcessWords), and which variables were set or unset. */
    record Result(String result, List<String> words, Set<String> matched, Set<String> unmatched) {}

    private static final int EOF = -1;

    private final int escapeToken;
    boolean rawQuotes;
    boolean rawEscapes;
    boolean skipUnsetEnv;

    // per call
    private int[] src;
    private int pos;
    private Env env;
    private boolean swRawEscapes;
    private Set<String> matched;
    private Set<String> unmatched;

    /**
     * Variables substituted as empty because they were unset (plain and pattern forms, not :- or
     * :+).
     */
    private Set<String> emptied;

    ShellLex(int escapeToken) {
        this.escapeToken = escapeToken;
    }

    int escape() {
        return escapeToken;
    }

    Result process(String word, Env env) throws ShellException {
        init(word, env);
        Scanned scanned = processStopOn(EOF, swRawEscapes, false);
        return new Result(scanned.text(), scanned.words(), matched, unmatched);
    }

    /**
     * Variables that were unset and substituted as the empty string in the last {@link #process}.
     */
    Set<String> emptied() {
        return emptied;
    }

    private void init(String word, Env env) {
        this.src = word.codePoints().toArray();
        // text/scanner ignores a BOM as the very first character.
        this.pos = src.length > 0 && src[0] == 0xFEFF ? 1 : 0;
        this.env = env;
        this.swRawEscapes = rawEscapes;
        this.matched = new HashSet<>();
        this.unmatched = new HashSet<>();
        this.emptied = new HashSet<>();
    }

    private int peek() {
        return pos < src.length ? src[pos] : EOF;
    }

    private int next() {
        return pos < src.length ? src[pos++] : EOF;
    }

    private static final class Words {
        final StringBuilder buf = new StringBuilder();
        final List<String> words = new ArrayList<>();
        boolean inWord;

        void addChar(int ch) {
            if (GoText.isSpace(ch) && inWord) {
                if (buf.length() != 0) {
                    words.add(buf.toString());
                    buf.setLength(0);
                    inWord = false;
                }
            } else if (!GoText.isSpace(ch)) {
                addRawChar(ch);
            }
        }

        void addRawChar(int ch) {
            buf.appendCodePoint(ch);
            inWord = true;
        }

        void addString(String s) {
            s.codePoints().forEach(this::addChar);
        }

        void addRawString(String s) {
            buf.append(s);
            inWord = true;
        }

        List<String> getWords() {
            if (buf.length() > 0) {
                words.add(buf.toString());
                buf.setLength(0);
                inWord = false;
            }
            return words;
        }
    }

    /**
     * What {@link #processStopOn} read: the text up to the stop character, and its words (Go
     * returns both).
     */
    private record Scanned(String text, List<String> words) {}

    private Scanned processStopOn(
            int stopChar, boolean rawEscapesArg, boolean preservePatternEscapes)
            throws ShellException {
        StringBuilder result = new StringBuilder();
        Words words = new Words();
        boolean restore = rawEscapesArg != swRawEscapes;
        if (restore) {
            swRawEscapes = rawEscapesArg;
        }
        try {
            while (peek() != EOF) {
                int ch = peek();
                if (stopChar != EOF && ch == stopChar) {
                    next();
                    return new Scanned(result.toString(), words.getWords());
                }
                String tmp = null;
                boolean handled = true;
                switch (ch) {
                    case '$' -> tmp = processDollar();
                    case '<' -> tmp = processPossibleHeredoc();
                    case '\'' -> tmp = processSingleQuote(preservePatternEscapes);
                    case '"' -> tmp = processDoubleQuote(preservePatternEscapes);
                    default -> handled = false;
                }
                if (handled) {
                    result.append(tmp);
                    if (ch == '$') {
                        words.addString(tmp);
                    } else {
                        words.addRawString(tmp);
                    }
                    continue;
                }
                ch = next();
                if (ch == escapeToken) {
                    if (swRawEscapes) {
                        words.addRawChar(ch);
                        result.appendCodePoint(ch);
                    }
                    ch = next();
                    if (ch == EOF) {
                        break;
                    }
                    words.addRawChar(ch);
                } else {
                    words.addChar(ch);
                }
                result.appendCodePoint(ch);
            }
            if (stopChar != EOF) {
                throw new ShellException(
                        "unexpected end of statement while looking for matching "
                                + new String(Character.toChars(stopChar)));
            }
            return new Scanned(result.toString(), words.getWords());
        } finally {
            if (restore) {
                swRawEscapes = !rawEscapesArg;
            }
        }
    }

    private String processSingleQuote(boolean preservePatternEscapes) throws ShellException {
        StringBuilder result = new StringBuilder();
        int ch = next();
        if (rawQuotes) {
            result.appendCodePoint(ch);
        }
        while (true) {
            ch = next();
            if (ch == EOF) {
                throw new ShellException(
                        "unexpected end of statement while looking for matching single-quote");
            }
            if (ch == '\'') {
                if (rawQuotes) {
                    result.appendCodePoint(ch);
                }
                return result.toString();
            }
            if (preservePatternEscapes && ch == escapeToken) {
                result.appendCodePoint(ch);
            }
            result.appendCodePoint(ch);
        }
    }

    private String processDoubleQuote(boolean preservePatternEscapes) throws ShellException {
        StringBuilder result = new StringBuilder();
        int ch = next();
        if (rawQuotes) {
            result.appendCodePoint(ch);
        }
        while (true) {
            int p = peek();
            if (p == EOF) {
                throw new ShellException(
                        "unexpected end of statement while looking for matching double-quote");
            }
            if (p == '"') {
                ch = next();
                if (rawQuotes) {
                    result.appendCodePoint(ch);
                }
                return result.toString();
            }
            if (p == '$') {
                result.append(processDollar());
                continue;
            }
            ch = next();
            if (ch == escapeToken) {
                int q = peek();
                if (q == EOF) {
                    continue; // a trailing escape is ignored
                } else if (q == '"' || q == '$' || q == escapeToken) {
                    if (swRawEscapes) {
                        result.appendCodePoint(ch);
                    }
                    ch = next();
                } else if (swRawEscapes && (!rawQuotes || preservePatternEscapes)) {
                    result.appendCodePoint(ch);
                }
            }
            result.appendCodePoint(ch);
        }
    }

    private static String str(int ch) {
        return ch == EOF ? "\uFFFD" : new String(Character.toChars(ch));
    }

    private String processDollar() throws ShellException {
        next();
        if (peek() != '{') {
            String name = processName();
            if (name.isEmpty()) {
                return "$";
            }
            String value = getEnv(name);
            if (value == null) {
                if (skipUnsetEnv) {
                    return "$" + name;
                }
                emptied.add(name);
                return "";
            }
            return value;
        }
        next();
        int p = peek();
        if (p == EOF) {
            throw new ShellException("syntax error: missing '}'");
        }
        if (p == '{' || p == '}' || p == ':') {
            throw new ShellException("syntax error: bad substitution");
        }
        String name = processName();
        int ch = next();
        String chs = str(ch);
        boolean nullIsUnset = false;
        if (ch == '}') {
            String value = getEnv(name);
            if (value == null) {
                if (skipUnsetEnv) {
                    return "${" + name + "}";
                }
                emptied.add(name);
                return "";
            }
            return value;
        }
        if (ch == ':') {
            nullIsUnset = true;
            ch = next();
            chs += str(ch);
        } else if (ch == '/') {
            return substitute(name);
        } else if (ch != '+' && ch != '-' && ch != '?' && ch != '#' && ch != '%') {
            throw new ShellException("unsupported modifier (" + chs + ") in substitution");
        }
        boolean raw = ch == '#' || ch == '%';
        if (nullIsUnset && raw) {
            throw new ShellException("unsupported modifier (" + chs + ") in substitution");
        }
        String word;
        try {
            word = processStopOn('}', raw, raw).text();
        } catch (ShellException e) {
            if (peek() == EOF) {
                throw new ShellException("syntax error: missing '}'");
            }
            throw e;
        }
        String value = getEnv(name);
        boolean set = value != null;
        if (skipUnsetEnv && !set) {
            return "${" + name + chs + word + "}";
        }
        switch (ch) {
            case '-':
                return !set || (nullIsUnset && value.isEmpty()) ? word : value;
            case '+':
                return !set || (nullIsUnset && value.isEmpty()) ? "" : word;
            case '?':
                if (!set) {
                    throw new ShellException(
                            name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                }
                if (nullIsUnset && value.isEmpty()) {
                    throw new ShellException(
                            name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
                }
                return value;
            case '%':
            case '#':
                {
                    if (!set) {
                        emptied.add(name);
                        value = "";
                    }
                    boolean greedy = false;
                    if (!word.isEmpty() && word.charAt(0) == ch) {
                        greedy = true;
                        word = word.substring(1);
                    }
                    return ch == '%'
                            ? trimSuffix(word, value, greedy)
                            : trimPrefix(word, value, greedy);
                }
            default:
                throw new ShellException("unsupported modifier (" + chs + ") in substitution");
        }
    }

    private String substitute(String name) throws ShellException {
        boolean replaceAll = peek() == '/';
        if (replaceAll) {
            next();
        }
        String pattern;
        try {
            pattern = processStopOn('/', true, true).text();
        } catch (ShellException e) {
            if (peek() == EOF) {
                throw new ShellException("syntax error: missing '/' in ${}");
            }
            throw e;
        }
        String replacement;
        try {
            replacement = processStopOn('}', true, false).text();
        } catch (ShellException e) {
            if (peek() == EOF) {
                throw new ShellException("syntax error: missing '}'");
            }
            throw e;
        }
        String value = getEnv(name);
        if (value == null) {
            if (skipUnsetEnv) {
                return "${" + name + "/" + pattern + "/" + replacement + "}";
            }
            emptied.add(name);
            value = "";
        }
        Pattern re = convertShellPatternToRegex(pattern, true, false);
        try {
            Matcher m = re.matcher(new Budget(value));
            if (replaceAll) {
                return goReplaceAll(m, value, replacement);
            }
            if (m.find()) {
                return value.substring(0, m.start()) + replacement + value.substring(m.end());
            }
            return value;
        } catch (Budget.Exhausted e) {
            throw new ShellException(
                    "the pattern ("
                            + pattern
                            + ") in ${"
                            + name
                            + "/…} takes too long to match; simplify it");
        }
    }

    /**
     * Go's Regexp.ReplaceAllString (regexp.go replaceAll): {@code $0}, {@code ${0}} and {@code $$}
     * in the template.
     */
    private static String goReplaceAll(Matcher m, String src, String template) {
        StringBuilder out = new StringBuilder();
        int lastMatchEnd = 0;
        int searchPos = 0;
        while (searchPos <= src.length()) {
            if (!m.find(searchPos)) {
                break;
            }
            int a0 = m.start();
            int a1 = m.end();
            out.append(src, lastMatchEnd, a0);
            if (a1 > lastMatchEnd || a0 == 0) {
                expand(out, template, src.substring(a0, a1));
            }
            lastMatchEnd = a1;
            int width =
                    searchPos < src.length() ? Character.charCount(src.codePointAt(searchPos)) : 0;
            if (searchPos + width > a1) {
                searchPos += width;
            } else if (searchPos + 1 > a1) {
                searchPos++;
            } else {
                searchPos = a1;
            }
        }
        out.append(src, lastMatchEnd, src.length());
        return out.toString();
    }

    private static void expand(StringBuilder dst, String template, String match) {
        int i = 0;
        while (i < template.length()) {
            int dollar = template.indexOf('$', i);
            if (dollar < 0) {
                break;
            }
            dst.append(template, i, dollar);
            i = dollar + 1;
            if (i < template.length() && template.charAt(i) == '$') {
                dst.append('$');
                i++;
                continue;
            }
            // extract a name: ${name} or $name (letters, digits, underscore)
            String name;
            int rest;
            if (i < template.length() && template.charAt(i) == '{') {
                int j = i + 1;
                while (j < template.length() && isNameChar(template.codePointAt(j))) {
                    j += Character.charCount(template.codePointAt(j));
                }
                if (j == i + 1 || j >= template.length() || template.charAt(j) != '}') {
                    dst.append('$');
                    continue;
                }
                name = template.substring(i + 1, j);
                rest = j + 1;
            } else {
                int j = i;
                while (j < template.length() && isNameChar(template.codePointAt(j))) {
                    j += Character.charCount(template.codePointAt(j));
                }
                if (j == i) {
                    dst.append('$');
                    continue;
                }
                name = template.substring(i, j);
                rest = j;
            }
            i = rest;
            if (isGroupZero(name)) {
                dst.append(match);
            }
        }
        dst.append(template.substring(Math.min(i, template.length())));
    }

    private static boolean isNameChar(int cp) {
        return Character.isLetter(cp) || Character.isDigit(cp) || cp == '_';
    }

    /**
     * Go's extract(): a name of ASCII digits is a group number (0 is the whole match); anything
     * else names no group here.
     */
    private static boolean isGroupZero(String name) {
        long num = 0;
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c < '0' || c > '9') {
                return false;
            }
            num = num * 10 + (c - '0');
            if (num >= 100_000_000) {
                return false;
            }
        }
        return num == 0;
    }

    private String processName() {
        StringBuilder name = new StringBuilder();
        while (peek() != EOF) {
            int ch = peek();
            if (name.length() == 0 && Character.isDigit(ch)) {
                while (peek() != EOF && Character.isDigit(peek())) {
                    name.appendCodePoint(next());
                }
                return name.toString();
            }
            if (name.length() == 0 && isSpecialParam(ch)) {
                return str(next());
            }
            if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
                break;
            }
            name.appendCodePoint(next());
        }
        return name.toString();
    }

    private String processPossibleHeredoc() {
        next();
        if (peek() != '<') {
            return "<";
        }
        next();
        StringBuilder space = new StringBuilder();
        int p = peek();
        while (p == '\t' || p == '\r' || p == ' ') {
            space.appendCodePoint(p);
            next();
            p = peek();
        }
        return "<<" + space;
    }

    private static boolean isSpecialParam(int ch) {
        return switch (ch) {
            case '@', '*', '#', '?', '-', '$', '!', '0' -> true;
            default -> false;
        };
    }

    private String getEnv(String name) {
        String v = env.get(name);
        if (v != null) {
            matched.add(name);
        } else {
            unmatched.add(name);
        }
        return v;
    }

    // ---------------------------------------------------------------- patterns

    static Pattern convertShellPatternToRegex(String pattern, boolean greedy, boolean anchored)
            throws ShellException {
        int[] s = pattern.codePoints().toArray();
        int i = s.length > 0 && s[0] == 0xFEFF ? 1 : 0; // text/scanner drops a leading BOM
        StringBuilder out = new StringBuilder(pattern.length() + 4);
        if (anchored) {
            out.append('^');
        }
        String star = greedy ? ".*" : ".*?";
        while (i < s.length) {
            int tok = s[i++];
            boolean escaped = false;
            switch (tok) {
                case '*' -> {
                    out.append(star);
                    continue;
                }
                case '?' -> {
                    out.append('.');
                    continue;
                }
                case '\\' -> {
                    int peek = i < s.length ? s[i] : EOF;
                    if (peek == '}' || peek == '/') {
                        continue;
                    }
                    out.append('\\');
                    escaped = true;
                    tok = i < s.length ? s[i++] : EOF;
                    if (tok != '*' && tok != '?' && tok != '\\') {
                        throw new ShellException("invalid escape '\\" + str(tok) + "'");
                    }
                }
                case '[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$' -> {
                    out.append('\\');
                    escaped = true;
                }
                default -> {}
            }
            if (escaped) {
                out.appendCodePoint(tok);
            } else {
                appendLiteral(out, tok);
            }
        }
        try {
            return Pattern.compile(out.toString(), Pattern.UNIX_LINES);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new ShellException("invalid pattern (" + pattern + "): " + e.getDescription());
        }
    }

    /**
     * A code point written into the Go regexp text: characters Java's syntax reads differently are
     * quoted.
     */
    private static void appendLiteral(StringBuilder out, int tok) {
        if (Character.isLetterOrDigit(tok) || tok == ' ' || tok > 0x7F) {
            out.appendCodePoint(tok);
        } else {
            out.append("\\x{").append(Integer.toHexString(tok)).append('}');
        }
    }

    private static String trimPrefix(String word, String value, boolean greedy)
            throws ShellException {
        Pattern re = convertShellPatternToRegex(word, greedy, true);
        try {
            Matcher m = re.matcher(new Budget(value));
            if (m.find()) {
                return value.substring(m.end());
            }
            return value;
        } catch (Budget.Exhausted e) {
            throw new ShellException(
                    "the pattern (" + word + ") takes too long to match; simplify it");
        }
    }

    /**
     * The text a pattern is matched against, counting the characters the matcher reads: Java's
     * backtracking matcher can take exponential time where Go's RE2 takes linear time, so a pattern
     * that needs more than a fixed budget is refused instead of hanging the reader.
     */
    static final class Budget implements CharSequence {
        static final long LIMIT = 20_000_000L;

        static final class Exhausted extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Exhausted() {
                super(null, null, false, false);
            }
        }

        private final String text;
        private final long[] used;

        Budget(String text) {
            this(text, new long[1]);
        }

        private Budget(String text, long[] used) {
            this.text = text;
            this.used = used;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (++used[0] > LIMIT) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budget(text.substring(start, end), used);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static String reversePattern(String pattern) {
        int[] p = pattern.codePoints().toArray();
        int[] out = new int[p.length];
        int last = p.length - 1;
        for (int i = 0; i <= last; ) {
            int tok = p[i];
            int outIdx = last - i;
            if (tok == '\\' && i != last) {
                out[outIdx - 1] = tok;
                out[outIdx] = p[i + 1];
                i += 2;
            } else {
                out[outIdx] = tok;
                i++;
            }
        }
        return new String(out, 0, out.length);
    }

    static String reverseString(String s) {
        int[] p = s.codePoints().toArray();
        for (int i = 0, j = p.length - 1; i < j; i++, j--) {
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return new String(p, 0, p.length);
    }

    private static String trimSuffix(String pattern, String word, boolean greedy)
            throws ShellException {
        return reverseString(trimPrefix(reversePattern(pattern), reverseString(word), greedy));
    }
}
