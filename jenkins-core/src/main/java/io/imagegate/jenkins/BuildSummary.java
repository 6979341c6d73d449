package io.imagegate.jenkins;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of a build's imagegate summary: one row per step run, in order. The plugin's build
 * action holds one and renders it as a table that links the archived reports; plain fields only
 * (XStream writes it into {@code build.xml}).
 */
public final class BuildSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The table's columns, matching {@link SummaryRow#getCells()}. */
    public static final List<String> COLUMNS =
            List.of("Step", "Image", "Digest", "Verdict", "Result", "Details");

    /**
     * Copied on write, never changed once published: parallel branches add rows while {@code
     * Run.save()} writes the action, and a writer that walks a list while a row is added fails the
     * save (ConcurrentModificationException); it walks the list it read, which no one changes. A
     * plain ArrayList, as the remoting and XStream class filters accept.
     */
    private volatile ArrayList<SummaryRow> rows = new ArrayList<>();

    public synchronized void add(SummaryRow row) {
        ArrayList<SummaryRow> next = new ArrayList<>(rows);
        next.add(row);
        rows = next;
    }

    public List<SummaryRow> getRows() {
        return List.copyOf(rows);
    }

    public List<String> getColumns() {
        return COLUMNS;
    }

    /** A line for the build page: {@code 3 steps: 2 PASS, 1 FAIL}. */
    public String getHeadline() {
        return headline(List.copyOf(rows));
    }

    private static String headline(List<SummaryRow> rows) {
        StringBuilder out =
                new StringBuilder()
                        .append(rows.size())
                        .append(rows.size() == 1 ? " step" : " steps");
        List<String> parts = new ArrayList<>();
        for (String verdict : List.of("PASS", "FAIL", "CHANGES", "ERROR")) {
            long n = rows.stream().filter(r -> r.getVerdict().equals(verdict)).count();
            if (n > 0) {
                parts.add(n + " " + verdict);
            }
        }
        return parts.isEmpty()
                ? out.toString()
                : out.append(": ").append(String.join(", ", parts)).toString();
    }

    /**
     * The badge beside the build in its history: the worst verdict so far; null while no step has
     * judged anything.
     */
    public BuildBadge getBadge() {
        List<SummaryRow> rows = List.copyOf(this.rows);
        return BuildBadge.of(rows, headline(rows)).orElse(null);
    }
}
