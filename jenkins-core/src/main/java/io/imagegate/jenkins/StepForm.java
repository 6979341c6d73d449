package io.imagegate.jenkins;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a step's configuration form (the snippet generator's) writes its parameters. Stapler binds a
 * form's single text value to a {@code List<String>} as one element, so the list parameters are
 * text areas, one entry per line, that the plugin's descriptor splits before binding ({@link
 * #lines}); and a blank optional value is left out so its default stays.
 */
public final class StepForm {
    private StepForm() {}

    /** The step's parameters that take a list: their form fields are one entry per line. */
    public static Set<String> listParameters(StepKind kind) {
        Set<String> out = new TreeSet<>();
        ParameterModel.of(kind).stream()
                .filter(ParameterModel.Parameter::isList)
                .forEach(p -> out.add(p.name()));
        return out;
    }

    /** The step's parameters that are optional (left out of the form data when blank). */
    public static Set<String> optionalParameters(StepKind kind) {
        Set<String> out = new TreeSet<>();
        ParameterModel.of(kind).stream().filter(p -> !p.required()).forEach(p -> out.add(p.name()));
        return out;
    }

    /** A text area's entries: one per line, stripped, blank lines dropped. */
    public static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String line : text.split("\\R")) {
                String entry = Values.text(line);
                if (entry != null) {
                    out.add(entry);
                }
            }
        }
        return out;
    }

    /** A list as its text area shows it: one entry per line; empty for none. */
    public static String text(List<String> values) {
        return values == null ? "" : String.join("\n", values);
    }
}
