package io.imagegate.jenkins;

import java.util.ArrayList;
import java.util.List;

/**
 * Step inputs as Jenkins hands them over: forms give blank strings, scripts give nulls and
 * GStrings; the model keeps none of those.
 */
final class Values {
    private Values() {}

    /** Trimmed text, or null for null or blank. */
    static String text(String value) {
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    /** A mutable, serializable copy without nulls (items are kept as written). */
    static ArrayList<String> list(List<?> values) {
        ArrayList<String> out = new ArrayList<>();
        if (values != null) {
            for (Object value : values) {
                if (value != null) {
                    out.add(value.toString());
                }
            }
        }
        return out;
    }
}
