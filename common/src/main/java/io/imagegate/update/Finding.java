package io.imagegate.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.finding.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A finding as a verdict document records it (every platform's, once per vulnerability and
 * package), for comparing the verdicts of two digests.
 */
public record Finding(
        String id,
        String packageName,
        String installedVersion,
        String fixedVersion,
        Severity severity) {
    /** What two findings are the same vulnerability of the same package. */
    public String key() {
        return id + " " + packageName;
    }

    /** Worst first, then by id and package. */
    static final Comparator<Finding> ORDER =
            Comparator.comparing((Finding f) -> f.severity(), Comparator.<Severity>reverseOrder())
                    .thenComparing((Finding f) -> f.id())
                    .thenComparing((Finding f) -> f.packageName());

    /** The findings of a verdict document's platforms, one per {@link #key()}. */
    public static List<Finding> of(JsonNode document) {
        Map<String, Finding> out = new LinkedHashMap<>();
        for (JsonNode platform : document.path("platforms")) {
            for (JsonNode f : platform.path("findings")) {
                Finding finding =
                        new Finding(
                                f.path("id").asText(),
                                f.path("package").asText(),
                                f.path("installedVersion").asText(),
                                f.path("fixedVersion").asText(""),
                                severity(f.path("severity").asText()));
                out.putIfAbsent(finding.key(), finding);
            }
        }
        List<Finding> sorted = new ArrayList<>(out.values());
        sorted.sort(ORDER);
        return List.copyOf(sorted);
    }

    private static Severity severity(String text) {
        try {
            return Severity.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Severity.UNKNOWN;
        }
    }
}
