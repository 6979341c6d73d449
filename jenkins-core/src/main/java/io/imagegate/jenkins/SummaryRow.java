package io.imagegate.jenkins;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One step's line in the build's imagegate summary. A plain class with plain fields, never a
 * record: the build action that holds it is written to {@code build.xml} by XStream, which cannot
 * read records back.
 */
public final class SummaryRow implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String step;
    private final String image;
    private final String digest;
    private final String verdict;
    private final String result;
    private final String details;
    private final ArrayList<String> reports;

    public SummaryRow(
            String step,
            String image,
            String digest,
            String verdict,
            String result,
            String details,
            List<String> reports) {
        this.step = nonNull(step);
        this.image = nonNull(image);
        this.digest = nonNull(digest);
        this.verdict = nonNull(verdict);
        this.result = nonNull(result);
        this.details = nonNull(details);
        this.reports = new ArrayList<>(reports);
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    /** The step's function name, e.g. {@code imagegateScan}. */
    public String getStep() {
        return step;
    }

    /** The image (or for rewrite and gate, the Dockerfiles). */
    public String getImage() {
        return image;
    }

    public String getDigest() {
        return digest;
    }

    /** PASS, FAIL, CHANGES, ERROR, or empty for an import. */
    public String getVerdict() {
        return verdict;
    }

    /** SUCCESS, UNSTABLE or FAILURE: what the step did to the build. */
    public String getResult() {
        return result;
    }

    public String getDetails() {
        return details;
    }

    /** The reports, as paths in the build's archived artifacts. */
    public List<String> getReports() {
        return reports == null ? List.of() : List.copyOf(reports);
    }

    /**
     * The cells of the table, in {@link BuildSummary#COLUMNS} order (reports are links, shown
     * apart).
     */
    public List<String> getCells() {
        return List.of(step, image, digest, verdict, result, details);
    }

    @Override
    public String toString() {
        return String.join(" | ", getCells());
    }
}
