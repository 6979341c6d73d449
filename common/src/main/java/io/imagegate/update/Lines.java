package io.imagegate.update;

import java.util.ArrayList;
import java.util.List;

/** Lines as the Dockerfile reader counts them: ended by \n, a \r kept as part of its line. */
final class Lines {
    private Lines() {}

    /** The 1-based line holding {@code offset}. */
    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The 1-based column of {@code offset} on its line. */
    static int columnOf(String text, int offset) {
        int nl = text.lastIndexOf('\n', offset - 1);
        return offset - nl;
    }

    /**
     * The lines, each with its ending ({@code \n}, {@code \r\n}, or none on a last line without
     * one): joined they give the text back byte for byte.
     */
    static List<String> withEndings(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            out.add(text.substring(start, end));
            start = end;
        }
        return out;
    }
}
