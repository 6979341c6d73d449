package io.imagegate.api;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.reference.ImageReference;
import io.imagegate.reference.InvalidReferenceException;
import java.util.List;

/** Checks shared by the specs. */
final class Specs {
    private Specs() {}

    static String required(Field field, String value) {
        if (value == null || value.isBlank()) {
            throw ImageGateException.usage(field, "input.required", "{0} is required", field);
        }
        return value.strip();
    }

    static ImageReference reference(Field field, String value) {
        String text = required(field, value);
        try {
            return ImageReference.parse(text);
        } catch (InvalidReferenceException e) {
            throw new ImageGateException(
                    ErrorKind.USAGE,
                    Message.of(
                            "input.reference",
                            "{0} ({1}) is not a valid image reference: {2}",
                            text,
                            field,
                            e.rule()),
                    field,
                    null);
        }
    }

    static void nonEmpty(Field field, List<String> values) {
        if (values == null
                || values.isEmpty()
                || values.stream().allMatch(v -> v == null || v.isBlank())) {
            throw ImageGateException.usage(field, "input.required", "{0} is required", field);
        }
    }

    static List<String> copy(List<String> values) {
        return values == null ? List.of() : values.stream().filter(v -> v != null).toList();
    }
}
