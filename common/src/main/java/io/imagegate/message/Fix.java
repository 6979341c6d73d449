package io.imagegate.message;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A suggested fix: run this operation with these inputs. Each front end renders it as its own
 * command ({@code imagegate import SRC DST}, {@code mvn registry:import -Dregistry.source=…},
 * {@code imagegateImport …}).
 */
public record Fix(Operation operation, Map<Field, String> inputs) implements Serializable {
    public Fix {
        EnumMap<Field, String> copy = new EnumMap<>(Field.class);
        copy.putAll(inputs);
        inputs = Collections.unmodifiableMap(copy);
    }

    public static Fix of(Operation operation) {
        return new Fix(operation, Map.of());
    }

    public Fix with(Field field, String value) {
        EnumMap<Field, String> copy = new EnumMap<>(Field.class);
        copy.putAll(inputs);
        copy.put(field, value);
        return new Fix(operation, copy);
    }
}
