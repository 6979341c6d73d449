package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import io.imagegate.report.ReportAggregate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One report per format for several images (a build module's): {@code imagegate-<name>.json},
 * {@code .sarif}, {@code -junit.xml} and {@code .html} beside the images' own reports, merged from
 * them. Per-image reports are always written in every format; the formats chosen here are the
 * aggregate's.
 */
public final class ModuleReports {
    /** A format of the aggregate. */
    public enum Format {
        JSON,
        SARIF,
        JUNIT,
        HTML
    }

    /**
     * One image of the aggregate.
     *
     * @param image the image as given
     * @param outcome its outcome
     * @param reports the report files its scan or vet wrote
     */
    public record Entry(String image, Outcome outcome, List<String> reports) {
        public Entry {
            reports = List.copyOf(reports);
        }

        public static Entry of(ScanResult r) {
            return new Entry(r.image(), r.outcome(), r.reports());
        }

        public static Entry of(VetResult r) {
            return new Entry(r.source(), r.outcome(), r.reports());
        }
    }

    private ModuleReports() {}

    /**
     * The formats in {@code text}, a comma-separated list of {@code json}, {@code sarif}, {@code
     * junit}, {@code html} (any case); null or blank is all of them. {@code name} is the parameter
     * as the front end spells it, for the error.
     */
    public static Set<Format> formats(String name, String text) {
        if (text == null || text.isBlank()) {
            return EnumSet.allOf(Format.class);
        }
        Set<Format> out = EnumSet.noneOf(Format.class);
        for (String item : text.split(",", -1)) {
            String one = item.strip().toUpperCase(Locale.ROOT);
            try {
                out.add(Format.valueOf(one));
            } catch (IllegalArgumentException e) {
                throw ImageGateException.usage(
                        null,
                        "input.formats",
                        "{0}: \"{1}\" is not a report format; give a comma-separated list of"
                                + " json, sarif, junit and html",
                        name,
                        item.strip());
            }
        }
        return out;
    }

    /**
     * Writes the aggregate of {@code entries} named {@code imagegate-<name>} into {@code dir} in
     * each of {@code formats}; returns the files written. An image whose scan wrote no report (an
     * error) is listed in the HTML index only.
     */
    public static List<String> write(
            String dir, String name, Set<Format> formats, List<Entry> entries) {
        Set<ReportAggregate.Format> chosen = EnumSet.noneOf(ReportAggregate.Format.class);
        formats.forEach(f -> chosen.add(ReportAggregate.Format.valueOf(f.name())));
        List<ReportAggregate.Image> images = new ArrayList<>();
        for (Entry e : entries) {
            images.add(
                    new ReportAggregate.Image(
                            e.image(),
                            e.outcome().name(),
                            e.reports().stream().map(Path::of).toList()));
        }
        return ReportAggregate.write(Path.of(dir), name, chosen, images).stream()
                .map(Path::toString)
                .toList();
    }
}
