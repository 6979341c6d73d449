package io.imagegate.jenkins;

import io.imagegate.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The label stage views show beside a step ({@code StepDescriptor#argumentsToString}): the image it
 * works on, or its Dockerfiles. Built from the step's recorded arguments, which Jenkins hands over
 * as given in the Jenkinsfile or replaced (a masked or oversized value): only plain text counts,
 * control characters are made visible, and the label is bounded.
 */
public final class StepLabel {
    /** Longer labels are cut: a stage view has a line for it. */
    static final int MAX_LENGTH = 120;

    private StepLabel() {}

    /** The label, or null when the arguments name nothing to show (Jenkins then shows none). */
    public static String of(StepKind kind, Map<String, ?> arguments) {
        String label =
                switch (kind) {
                    case IMPORT, VET -> {
                        String source = text(arguments.get("source"));
                        String target = text(arguments.get("target"));
                        yield source == null
                                ? null
                                : target == null ? source : source + " \u2192 " + target;
                    }
                    case SCAN -> text(arguments.get("image"));
                    case REWRITE, GATE, UPDATE -> texts(arguments.get("files"));
                };
        if (label == null) {
            return null;
        }
        String shown = Message.neutralize(label);
        return shown.length() <= MAX_LENGTH ? shown : shown.substring(0, MAX_LENGTH - 1) + "\u2026";
    }

    /**
     * Plain text, stripped; null for anything else (a placeholder Jenkins stored instead of the
     * value) or blank.
     */
    private static String text(Object value) {
        return value instanceof CharSequence c ? Values.text(c.toString()) : null;
    }

    /** A list's plain texts, joined; a single text as it is. */
    private static String texts(Object value) {
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object item : list) {
                String t = text(item);
                if (t != null) {
                    out.add(t);
                }
            }
            return out.isEmpty() ? null : String.join(", ", out);
        }
        return text(value);
    }
}
