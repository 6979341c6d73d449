package io.imagegate.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * BuildKit's Dockerfile parser (frontend/dockerfile/parser: parser.go, split_command.go,
 * line_parsers.go, directives.go), ported so that imagegate splits a file into instructions exactly
 * where BuildKit does: lines end at {@code \n} only, a continuation is the escape character
 * followed by spaces and tabs only, comment and blank lines inside a continuation are dropped,
 * parser directives stop at the first line that is not one, heredocs are found among the shell
 * words of ADD, COPY and RUN (and ONBUILD of those). Every argument keeps its position in the file,
 * so references can be reported with spans and rewritten in place.
 */
final class BuildKitParser {
    /** bufio.Scanner's limit: a longer line fails BuildKit's parse. */
    static final int MAX_LINE_BYTES = 65535;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** An instruction's text, joined from its physical lines, with where each piece came from. */
    static final class Logical {
        final StringBuilder text = new StringBuilder();
        private int[] segStart = new int[2];
        private int[] segLine = new int[2];
        private int[] segColumn = new int[2];
        private int segments;

        void add(CharSequence source, int from, int to, int line, int column) {
            if (segments == segStart.length) {
                segStart = java.util.Arrays.copyOf(segStart, segments * 2);
                segLine = java.util.Arrays.copyOf(segLine, segments * 2);
                segColumn = java.util.Arrays.copyOf(segColumn, segments * 2);
            }
            segStart[segments] = text.length();
            segLine[segments] = line;
            segColumn[segments] = column;
            segments++;
            text.append(source, from, to);
        }

        private int segment(int offset) {
            int lo = 0;
            int hi = segments - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (segStart[mid] <= offset) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        /** The 1-based physical line of the character at {@code offset}. */
        int line(int offset) {
            return segLine[segment(offset)];
        }

        /** The 1-based column of the character at {@code offset}. */
        int column(int offset) {
            int s = segment(offset);
            return segColumn[s] + (offset - segStart[s]) + 1;
        }

        int firstLine() {
            return segLine[0];
        }
    }

    /**
     * A piece of an instruction: its value and, when it is a raw part of the text, its offsets
     * there (else -1).
     */
    record Arg(String value, int start, int end) {
        boolean raw() {
            return start >= 0;
        }
    }

    /**
     * Flag words as BuildKit extracts them (quotes and escapes removed), with their raw offsets.
     */
    record Flag(String value, int start, int end) {}

    record Heredoc(String name, boolean chomp) {}

    /** One instruction. */
    static final class Node {
        String value = "";
        List<Flag> flags = List.of();
        List<Arg> args = new ArrayList<>();
        boolean json;
        Node child;
        List<Heredoc> heredocs = List.of();
        int startLine;
        int endLine;
        Logical logical;
        String original = "";

        /**
         * The arguments as instructions.nodeArgs gives them (ONBUILD: the trigger's name and
         * arguments).
         */
        List<Arg> nodeArgs() {
            if (child == null) {
                return args;
            }
            List<Arg> out = new ArrayList<>();
            out.add(new Arg(child.value, -1, -1));
            out.addAll(child.nodeArgs());
            return out;
        }
    }

    record Result(List<Node> nodes, char escape) {}

    private char escape = '\\';
    private final DirectiveParser directives = new DirectiveParser("#", 0);

    private BuildKitParser() {}

    /** Parses {@code text} (BOM already removed) as parser.Parse does. */
    static Result parse(String text) throws ParseError {
        return new BuildKitParser().run(text);
    }

    /** The physical lines: [start, end) without the {@code \n}. */
    static final class Lines {
        final String text;
        int pos;
        int number;

        Lines(String text) {
            this.text = text;
        }

        boolean hasNext() {
            return pos < text.length();
        }

        /** Returns the end of the next line (exclusive of \n); its start is {@link #start}. */
        int start;

        int next() {
            start = pos;
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl;
            pos = nl < 0 ? text.length() : nl + 1;
            number++;
            return end;
        }
    }

    private Result run(String text) throws ParseError {
        checkLineLengths(text);
        List<Node> nodes = new ArrayList<>();
        Lines lines = new Lines(text);
        while (lines.hasNext()) {
            int end = lines.next();
            int start = lines.start;
            int lineNo = lines.number;
            int e = trimNewline(text, start, end);
            int s = GoText.skipSpace(text, start, e);
            directive(text, s, e);
            if (isComment(text, start, end)) {
                continue;
            }
            int startLine = lineNo;
            int cont = continuation(text, s, e);
            boolean endOfLine = cont < 0;
            int bodyEnd = endOfLine ? e : cont;
            if (endOfLine && bodyEnd == s) {
                continue;
            }
            Logical logical = new Logical();
            logical.add(text, s, bodyEnd, lineNo, s - start);
            int currentLine = lineNo;
            while (!endOfLine && lines.hasNext()) {
                int end2 = lines.next();
                int start2 = lines.start;
                currentLine = lines.number;
                int e2 = trimNewline(text, start2, end2);
                directive(text, start2, e2);
                if (isComment(text, start2, end2)) {
                    continue;
                }
                if (GoText.skipSpace(text, start2, e2) == e2) {
                    continue; // an empty continuation line
                }
                int c2 = continuation(text, start2, e2);
                endOfLine = c2 < 0;
                logical.add(text, start2, endOfLine ? e2 : c2, currentLine, 0);
            }
            Node node;
            try {
                node = newNodeFromLine(logical, 0, logical.text.length());
            } catch (ParseError err) {
                throw new ParseError(startLine, err.getMessage());
            }
            node.logical = logical;
            node.original = logical.text.toString();
            if (canContainHeredoc(node) && node.original.contains("<<")) {
                List<Heredoc> heredocs;
                try {
                    heredocs = heredocsFromLine(node.original);
                } catch (ParseError err) {
                    throw new ParseError(startLine, err.getMessage());
                }
                for (Heredoc heredoc : heredocs) {
                    boolean terminated = false;
                    while (lines.hasNext()) {
                        int end3 = lines.next();
                        currentLine = lines.number;
                        int e3 = trimNewline(text, lines.start, end3);
                        int s3 = lines.start;
                        if (heredoc.chomp()) {
                            while (s3 < e3 && text.charAt(s3) == '\t') {
                                s3++;
                            }
                        }
                        if (e3 - s3 == heredoc.name().length()
                                && text.startsWith(heredoc.name(), s3)) {
                            terminated = true;
                            break;
                        }
                    }
                    if (!terminated) {
                        throw new ParseError(startLine, "unterminated heredoc");
                    }
                }
                node.heredocs = heredocs;
            }
            node.startLine = startLine;
            node.endLine = currentLine;
            if (node.child != null) {
                node.child.startLine = startLine;
                node.child.endLine = currentLine;
            }
            nodes.add(node);
        }
        if (nodes.isEmpty()) {
            throw new ParseError(Math.max(1, lines.number), "file with no instructions");
        }
        return new Result(nodes, escape);
    }

    private static void checkLineLengths(String text) throws ParseError {
        int line = 1;
        int start = 0;
        while (start <= text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            if (end - start > MAX_LINE_BYTES / 3
                    && GoText.utf8Length(text, start, end) > MAX_LINE_BYTES) {
                throw new ParseError(
                        line, "dockerfile line greater than max allowed size of " + MAX_LINE_BYTES);
            }
            if (nl < 0) {
                break;
            }
            start = nl + 1;
            line++;
        }
    }

    /** parser.trimNewline: drops trailing \r and \n. */
    private static int trimNewline(String text, int start, int end) {
        while (end > start && (text.charAt(end - 1) == '\r' || text.charAt(end - 1) == '\n')) {
            end--;
        }
        return end;
    }

    private static boolean isComment(String text, int start, int end) {
        int s = GoText.skipSpace(text, start, end);
        return s < end && text.charAt(s) == '#';
    }

    /**
     * The line continuation regexp {@code ([^\\])\\[ \t]*$|^\\[ \t]*$}: the end of the body without
     * the escape, or -1 when the line does not continue.
     */
    private int continuation(String text, int start, int end) {
        int k = end;
        while (k > start && (text.charAt(k - 1) == ' ' || text.charAt(k - 1) == '\t')) {
            k--;
        }
        if (k > start
                && text.charAt(k - 1) == escape
                && (k - 1 == start || text.charAt(k - 2) != escape)) {
            return k - 1;
        }
        return -1;
    }

    /**
     * directives.possibleParserDirective: the escape directive sets the escape character for the
     * rest of the file.
     */
    private void directive(String text, int start, int end) throws ParseError {
        Optional<DirectiveParser.Directive> found = directives.parseLine(text, start, end);
        if (found.isPresent() && found.get().name().equals("escape")) {
            String v = text.substring(found.get().valueStart(), found.get().valueEnd());
            if (!v.equals("`") && !v.equals("\\")) {
                throw new ParseError(
                        found.get().line(),
                        "invalid escape token '" + v + "' does not match ` or \\");
            }
            escape = v.charAt(0);
        }
    }

    // ---------------------------------------------------------------- one instruction

    private static final Set<String> STRINGS_WHITESPACE = Set.of("expose", "from");
    private static final Set<String> MAYBE_JSON = Set.of("cmd", "entrypoint", "run", "shell");
    private static final Set<String> MAYBE_JSON_LIST = Set.of("add", "copy", "volume");
    private static final Set<String> SINGLE_STRING =
            Set.of("maintainer", "stopsignal", "user", "workdir");

    /** newNodeFromLine over text[from, to). */
    private Node newNodeFromLine(Logical logical, int from, int to) throws ParseError {
        CharSequence line = logical.text;
        Node node = new Node();
        int ts = GoText.skipSpace(line, from, to);
        int te = GoText.trimEnd(line, ts, to);
        int split = ts;
        while (split < te && !GoText.isSplitSpace(line.charAt(split))) {
            split++;
        }
        node.value = line.subSequence(ts, split).toString();
        int restStart = te;
        int restEnd = te;
        if (split < te) {
            int after = split;
            while (after < te && GoText.isSplitSpace(line.charAt(after))) {
                after++;
            }
            BuilderFlags extracted = extractBuilderFlags(line, after, te);
            node.flags = extracted.flags();
            restStart = GoText.skipSpace(line, extracted.argsStart(), te);
            restEnd = GoText.trimEnd(line, restStart, te);
        }
        String cmd = GoText.toLower(node.value);
        String rest = line.subSequence(restStart, restEnd).toString();
        if (STRINGS_WHITESPACE.contains(cmd)) {
            node.args = whitespaceDelimited(rest, restStart);
        } else if (MAYBE_JSON.contains(cmd)) {
            maybeJson(node, rest, restStart, false);
        } else if (MAYBE_JSON_LIST.contains(cmd)) {
            maybeJson(node, rest, restStart, true);
        } else if (SINGLE_STRING.contains(cmd)) {
            if (!rest.isEmpty()) {
                node.args.add(new Arg(rest, restStart, restEnd));
            }
        } else if (cmd.equals("arg")) {
            node.args = parseWords(rest, restStart);
        } else if (cmd.equals("env") || cmd.equals("label")) {
            parseNameVal(node, rest, restStart, cmd.equals("env") ? "ENV" : "LABEL");
        } else if (cmd.equals("onbuild")) {
            if (!rest.isEmpty()) {
                node.child = newNodeFromLine(logical, restStart, restEnd);
                node.child.logical = logical;
                node.child.original = rest;
            }
        } else if (cmd.equals("healthcheck")) {
            healthcheck(node, rest, restStart);
        }
        return node;
    }

    /** The flag words before an instruction's arguments, and where the arguments start. */
    private record BuilderFlags(List<Flag> flags, int argsStart) {}

    /**
     * extractBuilderFlags, which works on bytes: a byte 0x85 or 0xA0 inside a UTF-8 character is
     * white space there.
     */
    private BuilderFlags extractBuilderFlags(CharSequence line, int from, int to) {
        String text = line.subSequence(from, to).toString();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        // byte offset -> offset in text of the first character boundary at or after it
        int[] boundary = new int[b.length + 1];
        int bi = 0;
        for (int ci = 0; ci < text.length(); ) {
            int cp = text.codePointAt(ci);
            int cl = Character.charCount(cp);
            int bl = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            boundary[bi] = ci;
            for (int k = 1; k < bl; k++) {
                boundary[bi + k] = ci + cl;
            }
            bi += bl;
            ci += cl;
        }
        boundary[b.length] = text.length();
        final int inSpaces = 0;
        final int inWord = 1;
        final int inQuote = 2;
        List<Flag> words = new ArrayList<>();
        int phase = inSpaces;
        StringBuilder sb = new StringBuilder();
        int quote = 0;
        boolean blankOK = false;
        int wordStart = 0;
        int ch = 0;
        int len = b.length;
        for (int pos = 0; pos <= len; pos++) {
            if (pos != len) {
                ch = b[pos] & 0xFF;
            }
            if (phase == inSpaces) {
                if (pos == len) {
                    break;
                }
                if (GoText.isByteSpace(ch)) {
                    continue;
                }
                if (ch != '-' || pos + 1 == len || b[pos + 1] != '-') {
                    return new BuilderFlags(words, from + boundary[pos]);
                }
                phase = inWord;
                wordStart = pos;
            }
            if ((phase == inWord || phase == inQuote) && pos == len) {
                String word = sb.toString();
                if (!word.equals("--") && (blankOK || !word.isEmpty())) {
                    words.add(new Flag(word, from + boundary[wordStart], from + boundary[pos]));
                }
                break;
            }
            if (phase == inWord) {
                if (GoText.isByteSpace(ch)) {
                    String word = sb.toString();
                    phase = inSpaces;
                    if (word.equals("--")) {
                        return new BuilderFlags(words, from + boundary[pos]);
                    }
                    if (blankOK || !word.isEmpty()) {
                        words.add(new Flag(word, from + boundary[wordStart], from + boundary[pos]));
                    }
                    sb.setLength(0);
                    blankOK = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOK = true;
                    phase = inQuote;
                    continue;
                }
                if (ch == escape) {
                    if (pos + 1 == len) {
                        continue;
                    }
                    pos++;
                    ch = b[pos] & 0xFF;
                }
                sb.append((char) ch);
                continue;
            }
            if (phase == inQuote) {
                if (ch == quote) {
                    phase = inWord;
                    continue;
                }
                if (ch == escape) {
                    if (pos + 1 == len) {
                        phase = inWord;
                        continue;
                    }
                    pos++;
                    ch = b[pos] & 0xFF;
                }
                sb.append((char) ch);
            }
        }
        return new BuilderFlags(words, to);
    }

    /** parseStringsWhitespaceDelimited: split on [\t\v\f\r ]+. */
    private static List<Arg> whitespaceDelimited(String rest, int base) {
        List<Arg> out = new ArrayList<>();
        if (rest.isEmpty()) {
            return out;
        }
        int i = 0;
        int n = rest.length();
        int start = 0;
        while (i < n) {
            if (GoText.isSplitSpace(rest.charAt(i))) {
                int sepStart = i;
                while (i < n && GoText.isSplitSpace(rest.charAt(i))) {
                    i++;
                }
                out.add(new Arg(rest.substring(start, sepStart), base + start, base + sepStart));
                start = i;
            } else {
                i++;
            }
        }
        out.add(new Arg(rest.substring(start), base + start, base + n));
        return out;
    }

    private void maybeJson(Node node, String rest, int base, boolean toList) throws ParseError {
        if (rest.isEmpty() && !toList) {
            return;
        }
        int s = GoText.skipSpace(rest, 0, rest.length());
        if (rest.startsWith("[", s)) {
            JsonNode parsed = null;
            try {
                parsed = JSON.readTree(rest.substring(s));
            } catch (JsonProcessingException e) {
                parsed = null;
            }
            if (parsed != null && parsed.isArray()) {
                List<Arg> args = new ArrayList<>();
                for (JsonNode element : parsed) {
                    if (!element.isTextual()) {
                        throw new ParseError(
                                0,
                                "when using JSON array syntax, arrays must be comprised of strings only");
                    }
                    args.add(new Arg(element.asText(), -1, -1));
                }
                node.args = args;
                node.json = true;
                return;
            }
        }
        if (toList) {
            node.args = whitespaceDelimited(rest, base);
        } else {
            node.args.add(new Arg(rest, base, base + rest.length()));
        }
    }

    /** parseWords: words on Go white space, quotes and escapes kept. */
    private List<Arg> parseWords(String rest, int base) {
        final int inSpaces = 0;
        final int inWord = 1;
        final int inQuote = 2;
        List<Arg> words = new ArrayList<>();
        int phase = inSpaces;
        int quote = 0;
        boolean blankOK = false;
        StringBuilder sb = new StringBuilder();
        int ch = 0;
        int width = 0;
        int wordStart = 0;
        int len = rest.length();
        for (int pos = 0; pos <= len; pos += width) {
            if (pos != len) {
                ch = rest.codePointAt(pos);
                width = Character.charCount(ch);
            }
            if (phase == inSpaces) {
                if (pos == len) {
                    break;
                }
                if (GoText.isSpace(ch)) {
                    continue;
                }
                phase = inWord;
                wordStart = pos;
            }
            if ((phase == inWord || phase == inQuote) && pos == len) {
                if (blankOK || sb.length() > 0) {
                    words.add(new Arg(sb.toString(), base + wordStart, base + pos));
                }
                break;
            }
            if (phase == inWord) {
                if (GoText.isSpace(ch)) {
                    phase = inSpaces;
                    if (blankOK || sb.length() > 0) {
                        words.add(new Arg(sb.toString(), base + wordStart, base + pos));
                    }
                    sb.setLength(0);
                    blankOK = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOK = true;
                    phase = inQuote;
                }
                if (ch == escape) {
                    if (pos + width == len) {
                        continue;
                    }
                    sb.appendCodePoint(ch);
                    pos += width;
                    ch = rest.codePointAt(pos);
                    width = Character.charCount(ch);
                }
                sb.appendCodePoint(ch);
                continue;
            }
            if (phase == inQuote) {
                if (ch == quote) {
                    phase = inWord;
                }
                if (ch == escape && quote != '\'') {
                    if (pos + width == len) {
                        phase = inWord;
                        continue;
                    }
                    pos += width;
                    sb.appendCodePoint(ch);
                    ch = rest.codePointAt(pos);
                    width = Character.charCount(ch);
                }
                sb.appendCodePoint(ch);
            }
        }
        return words;
    }

    private void parseNameVal(Node node, String rest, int base, String key) throws ParseError {
        List<Arg> words = parseWords(rest, base);
        if (words.isEmpty()) {
            return;
        }
        if (!words.get(0).value().contains("=")) {
            int i = 0;
            while (i < rest.length() && !GoText.isSplitSpace(rest.charAt(i))) {
                i++;
            }
            if (i >= rest.length()) {
                throw new ParseError(0, key + " must have two arguments");
            }
            node.args.add(
                    new Arg(rest.substring(0, i), base < 0 ? -1 : base, base < 0 ? -1 : base + i));
            return;
        }
        for (Arg word : words) {
            if (!word.value().contains("=")) {
                throw new ParseError(
                        0,
                        "Syntax error - can't find = in \""
                                + word.value()
                                + "\". Must be of the form: name=value");
            }
        }
        for (Arg word : words) {
            node.args.add(word);
        }
    }

    private void healthcheck(Node node, String rest, int base) throws ParseError {
        byte[] b = rest.getBytes(StandardCharsets.UTF_8);
        int sep = 0;
        while (sep < b.length && !GoText.isByteSpace(b[sep] & 0xFF)) {
            sep++;
        }
        if (sep == 0) {
            return;
        }
        int next = sep;
        while (next < b.length && GoText.isByteSpace(b[next] & 0xFF)) {
            next++;
        }
        String type = new String(b, 0, sep, StandardCharsets.UTF_8);
        String cmd = new String(b, next, b.length - next, StandardCharsets.UTF_8);
        Node tmp = new Node();
        maybeJson(tmp, cmd, -1, false);
        node.args.add(new Arg(type, -1, -1));
        for (Arg a : tmp.args) {
            node.args.add(new Arg(a.value(), -1, -1));
        }
        node.json = tmp.json;
    }

    // ---------------------------------------------------------------- heredocs

    private static boolean canContainHeredoc(Node node) {
        Node n = node;
        if (GoText.toLower(n.value).equals("onbuild") && n.child != null) {
            n = n.child;
        }
        String v = GoText.toLower(n.value);
        if (!v.equals("add") && !v.equals("copy") && !v.equals("run")) {
            return false;
        }
        return !n.json;
    }

    /** heredocsFromLine: the shell words of the whole line that are heredoc markers. */
    static List<Heredoc> heredocsFromLine(String line) throws ParseError {
        ShellLex lex = new ShellLex('\\');
        lex.rawQuotes = true;
        lex.rawEscapes = true;
        lex.skipUnsetEnv = true;
        List<String> words;
        try {
            words = lex.process(line, name -> null).words();
        } catch (ShellLex.ShellException e) {
            words = List.of(); // BuildKit ignores the error: no heredocs
        }
        List<Heredoc> docs = new ArrayList<>();
        for (String word : words) {
            Heredoc h = parseHeredoc(word);
            if (h != null) {
                docs.add(h);
            }
        }
        return docs;
    }

    /** ParseHeredoc: null when the word is not a heredoc marker. */
    static Heredoc parseHeredoc(String word) throws ParseError {
        // ^(\d*)<<(-?)\s*([^<]*)$, by hand
        int i = 0;
        while (i < word.length() && word.charAt(i) >= '0' && word.charAt(i) <= '9') {
            i++;
        }
        if (!word.startsWith("<<", i)) {
            return null;
        }
        i += 2;
        boolean chomp = i < word.length() && word.charAt(i) == '-';
        if (chomp) {
            i++;
        }
        while (i < word.length() && GoText.isRegexpSpace(word.charAt(i))) {
            i++;
        }
        String rest = word.substring(i);
        if (rest.indexOf('<') >= 0) {
            return null;
        }
        if (rest.isEmpty()) {
            return null;
        }
        ShellLex lex = new ShellLex('\\');
        lex.skipUnsetEnv = true;
        try {
            List<String> words = lex.process(rest, name -> null).words();
            if (words.size() != 1) {
                return null;
            }
            lex.rawQuotes = true;
            List<String> raw = lex.process(rest, name -> null).words();
            if (raw.size() != words.size()) {
                throw new ParseError(
                        0, "internal lexing of heredoc produced inconsistent results: " + rest);
            }
            return new Heredoc(words.get(0), chomp);
        } catch (ShellLex.ShellException e) {
            throw new ParseError(0, "failed to process \"" + rest + "\": " + e.getMessage());
        }
    }

    /** MustParseHeredoc. */
    static Heredoc mustParseHeredoc(String word) {
        try {
            return parseHeredoc(word);
        } catch (ParseError e) {
            return null;
        }
    }
}
