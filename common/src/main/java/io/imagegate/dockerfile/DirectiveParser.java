package io.imagegate.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Follows BuildKit v0.34.2 frontend/dockerfile/parser/directives.go (the version
 * tools/buildkit-refs pins): the one scanner of parser directives ({@code # syntax=}, {@code #
 * escape=}, {@code # check=}). {@link BuildKitParser} feeds it line by line as parser.Parse does;
 * {@link #detectSyntax} and {@link #parseDirective} run it over the head of the file as
 * DetectSyntax and ParseDirective do. Directives end at the first line that is not one; a repeated
 * one is an error.
 */
final class DirectiveParser {
    private static final Set<String> VALID = Set.of("syntax", "escape", "check");
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * A directive: its lower-case name, its 1-based line and where its value is in the text
     * scanned.
     */
    record Directive(String name, int line, int valueStart, int valueEnd) {}

    /**
     * How the syntax directive was written: {@code # syntax=}, {@code // syntax=} or a JSON {@code
     * {"syntax": …}}.
     */
    enum Form {
        HASH,
        SLASHES,
        JSON
    }

    /**
     * The syntax directive as DetectSyntax finds it: its first word ({@code value}); for the
     * comment forms where that word starts in the text, for JSON -1.
     */
    record Syntax(Form form, String value, int line, int valueStart) {}

    private final String comment;
    private final Set<String> seen = new HashSet<>();
    private int line;
    private boolean done;

    /**
     * A scanner for directives written after {@code comment}, the first line scanned being {@code
     * line + 1}.
     */
    DirectiveParser(String comment, int line) {
        this.comment = comment;
        this.line = line;
    }

    /**
     * DirectiveParser.ParseLine over text[start, end): the directive there, or empty (and no more)
     * when it is none.
     */
    Optional<Directive> parseLine(CharSequence text, int start, int end) throws ParseError {
        line++;
        if (done) {
            return Optional.empty();
        }
        if (end - start < comment.length()
                || !text.subSequence(start, start + comment.length()).toString().equals(comment)) {
            done = true;
            return Optional.empty();
        }
        int s = GoText.skipSpace(text, start + comment.length(), end);
        GoText.DirectiveMatch m = GoText.directive(text, s, end);
        if (m == null) {
            done = true;
            return Optional.empty();
        }
        String key = text.subSequence(m.keyStart(), m.keyEnd()).toString().toLowerCase(Locale.ROOT);
        if (!VALID.contains(key)) {
            done = true;
            return Optional.empty();
        }
        if (!seen.add(key)) {
            throw new ParseError(line, "only one " + key + " parser directive can be used");
        }
        return Optional.of(new Directive(key, line, m.valueStart(), m.valueEnd()));
    }

    /**
     * DetectSyntax (the BOM already removed): after an optional #! line, {@code # syntax=}, else
     * {@code // syntax=}, else a JSON document's {@code "syntax"} string.
     */
    static Optional<Syntax> detectSyntax(String text) {
        int offset = shebangEnd(text);
        int line = offset == 0 ? 0 : 1;
        for (Form form : new Form[] {Form.HASH, Form.SLASHES}) {
            Directive found =
                    new DirectiveParser(form == Form.HASH ? "#" : "//", line)
                            .find(text, offset, "syntax");
            if (found != null) {
                return Optional.of(
                        new Syntax(form, firstWord(text, found), found.line(), found.valueStart()));
            }
        }
        String json = text.substring(offset);
        int first = GoText.skipSpace(json, 0, json.length());
        if (first < json.length() && json.charAt(first) == '{') {
            try {
                JsonNode node = JSON.readTree(json);
                if (node != null
                        && node.isObject()
                        && node.get("syntax") != null
                        && node.get("syntax").isTextual()) {
                    return Optional.of(
                            new Syntax(Form.JSON, node.get("syntax").asText(), line, -1));
                }
            } catch (JsonProcessingException e) {
                // not JSON: no directive
            }
        }
        return Optional.empty();
    }

    /** ParseDirective: the {@code # key=} directive after an optional #! line, or null. */
    static Directive parseDirective(String text, String key) {
        int offset = shebangEnd(text);
        return new DirectiveParser("#", offset == 0 ? 0 : 1).find(text, offset, key);
    }

    /**
     * The first word of a directive's value (strings.Cut on a space), as DetectSyntax and
     * ParseDirective return it.
     */
    static String firstWord(String text, Directive found) {
        int space = text.indexOf(' ', found.valueStart());
        int wordEnd = space < 0 || space > found.valueEnd() ? found.valueEnd() : space;
        return text.substring(found.valueStart(), wordEnd);
    }

    /** discardShebang: where the text after a first line starting with #! begins, else 0. */
    private static int shebangEnd(String text) {
        if (!text.startsWith("#!")) {
            return 0;
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text.length() : nl + 1;
    }

    /**
     * detectDirectiveFromParser over ParseAll from {@code offset}: the first directive named {@code
     * key}, or null. ParseAll reads with a bufio.Scanner: lines lose one trailing \r, and an
     * over-long line ends the scan.
     */
    private Directive find(String text, int offset, String key) {
        int pos = offset;
        while (pos < text.length() && !done) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl;
            int next = nl < 0 ? text.length() : nl + 1;
            if (GoText.utf8Length(text, pos, end) > BuildKitParser.MAX_LINE_BYTES) {
                return null; // bufio.Scanner stops with ErrTooLong
            }
            if (end > pos && text.charAt(end - 1) == '\r') {
                end--;
            }
            Optional<Directive> found;
            try {
                found = parseLine(text, pos, end);
            } catch (ParseError e) {
                return null; // a repeated directive: ParseAll returns the ones before it, and its
                // callers ignore the error
            }
            if (found.isPresent() && found.get().name().equals(key)) {
                return found.get();
            }
            pos = next;
        }
        return null;
    }
}
