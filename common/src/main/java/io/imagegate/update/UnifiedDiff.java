package io.imagegate.update;

import io.imagegate.message.ImageGateException;
import java.nio.file.Path;
import java.util.List;

/**
 * A patch {@code git apply} takes: one {@code diff --git} section per changed file, paths relative
 * to the directory the patch is applied in, three lines of context, every line's own ending kept (a
 * CRLF file stays CRLF), and the missing newline of a last line marked as git marks it.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private UnifiedDiff() {}

    /** The patch of every changed file, relative to {@code base}. */
    public static String of(Path base, List<Plan.FileEdit> edits) {
        StringBuilder out = new StringBuilder();
        for (Plan.FileEdit edit : edits) {
            if (edit.changed()) {
                file(out, relative(base, edit.file()), edit.original(), edit.updated());
            }
        }
        return out.toString();
    }

    /** {@code file} relative to {@code base}, {@code /}-separated; a file outside it is refused. */
    static String relative(Path base, Path file) {
        Path b = base.toAbsolutePath().normalize();
        Path f = b.resolve(file).toAbsolutePath().normalize();
        if (!f.startsWith(b) || f.equals(b)) {
            throw ImageGateException.configuration(
                    "update.patch-outside",
                    "{0} is outside {1}, where the patch is applied; run imagegate in a directory"
                            + " that holds every file it updates",
                    file,
                    b);
        }
        return b.relativize(f).toString().replace(java.io.File.separatorChar, '/');
    }

    private static void file(StringBuilder out, String path, String before, String after) {
        List<String> a = Lines.withEndings(before);
        List<String> b = Lines.withEndings(after);
        if (a.size() != b.size()) {
            throw ImageGateException.internal(
                    "update.diff-lines", "an update changed the number of lines of {0}", path);
        }
        out.append("diff --git a/").append(path).append(" b/").append(path).append('\n');
        out.append("--- a/").append(path).append('\n');
        out.append("+++ b/").append(path).append('\n');
        int n = a.size();
        int i = 0;
        while (i < n) {
            if (a.get(i).equals(b.get(i))) {
                i++;
                continue;
            }
            // a hunk: from CONTEXT lines before this change to CONTEXT lines after the last change
            // that is no more than 2 * CONTEXT unchanged lines further on
            int start = Math.max(0, i - CONTEXT);
            int last = i;
            int j = i + 1;
            while (j < n) {
                if (!a.get(j).equals(b.get(j))) {
                    last = j;
                } else if (j - last > 2 * CONTEXT) {
                    break;
                }
                j++;
            }
            int end = Math.min(n, last + CONTEXT + 1);
            int length = end - start;
            out.append("@@ -")
                    .append(range(start, length))
                    .append(" +")
                    .append(range(start, length))
                    .append(" @@\n");
            int k = start;
            while (k < end) {
                if (a.get(k).equals(b.get(k))) {
                    line(out, ' ', a.get(k));
                    k++;
                    continue;
                }
                int run = k;
                while (run < end && !a.get(run).equals(b.get(run))) {
                    run++;
                }
                for (int x = k; x < run; x++) {
                    line(out, '-', a.get(x));
                }
                for (int x = k; x < run; x++) {
                    line(out, '+', b.get(x));
                }
                k = run;
            }
            i = end;
        }
    }

    private static String range(int start, int length) {
        return length == 1 ? String.valueOf(start + 1) : (start + 1) + "," + length;
    }

    private static void line(StringBuilder out, char mark, String line) {
        out.append(mark).append(line);
        if (!line.endsWith("\n")) {
            out.append("\n\\ No newline at end of file\n");
        }
    }
}
