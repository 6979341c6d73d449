package io.imagegate.message;

import java.util.stream.Collectors;

/**
 * How a front end names imagegate's inputs and operations. Messages hold {@link Field}s and {@link
 * Fix}es; rendering them through a front end's vocabulary gives text in that front end's own words.
 */
public interface Vocabulary {
    /** The input as the user writes it: {@code --force}, {@code <force>}, {@code force: true}. */
    String field(Field field);

    /** The command that carries out a fix. */
    String fix(Fix fix);

    /**
     * Field ids and operation names as they are: for logs and tests that belong to no front end.
     */
    Vocabulary NEUTRAL =
            new Vocabulary() {
                @Override
                public String field(Field field) {
                    return field.id();
                }

                @Override
                public String fix(Fix fix) {
                    return fix.operation().id()
                            + fix.inputs().entrySet().stream()
                                    .map(e -> " " + e.getKey().id() + "=" + e.getValue())
                                    .collect(Collectors.joining());
                }
            };
}
