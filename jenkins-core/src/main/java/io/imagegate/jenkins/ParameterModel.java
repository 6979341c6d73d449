package io.imagegate.jenkins;

import java.beans.Introspector;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A step's parameters as a list, read from its model class: the constructor's parameters are
 * required, every public setter is optional. The plugin's step classes, the library's steps and the
 * documentation must each offer exactly these.
 */
public final class ParameterModel {
    private ParameterModel() {}

    /**
     * One parameter.
     *
     * @param name as a Jenkinsfile writes it
     * @param type its Java type ({@code String}, {@code boolean}, {@code int}, {@code
     *     List<String>})
     * @param required whether the step needs it
     */
    public record Parameter(String name, Type type, boolean required) {
        /**
         * The type as source code writes it: {@code String}, {@code boolean}, {@code int}, {@code
         * List<String>}.
         */
        public String typeName() {
            return typeName(type);
        }

        public boolean isList() {
            return type instanceof ParameterizedType p && p.getRawType() == List.class;
        }

        public boolean isBoolean() {
            return type == boolean.class;
        }

        public boolean isInteger() {
            return type == int.class;
        }

        static String typeName(Type type) {
            if (type instanceof Class<?> c) {
                return c.getSimpleName();
            }
            if (type instanceof ParameterizedType p) {
                return typeName(p.getRawType())
                        + Stream.of(p.getActualTypeArguments())
                                .map(Parameter::typeName)
                                .collect(Collectors.joining(", ", "<", ">"));
            }
            return type.getTypeName();
        }
    }

    /**
     * The step's parameters: the required ones in constructor order, then the optional ones
     * alphabetically.
     */
    public static List<Parameter> of(StepKind kind) {
        Class<? extends StepParameters> type = kind.parametersType();
        Constructor<?>[] constructors = type.getConstructors();
        if (constructors.length != 1) {
            throw new IllegalStateException(type + " must have exactly one public constructor");
        }
        List<Parameter> out = new ArrayList<>();
        for (java.lang.reflect.Parameter p : constructors[0].getParameters()) {
            if (!p.isNamePresent()) {
                throw new IllegalStateException(
                        type
                                + " was compiled without -parameters: its required parameters have no names");
            }
            out.add(new Parameter(p.getName(), p.getParameterizedType(), true));
        }
        List<Parameter> optional = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getName().startsWith("set")
                    && m.getName().length() > 3
                    && m.getParameterCount() == 1
                    && m.getReturnType() == void.class
                    && !Modifier.isStatic(m.getModifiers())) {
                optional.add(
                        new Parameter(
                                Introspector.decapitalize(m.getName().substring(3)),
                                m.getGenericParameterTypes()[0],
                                false));
            }
        }
        optional.sort(Comparator.comparing(Parameter::name));
        out.addAll(optional);
        return List.copyOf(out);
    }

    /** The named parameter of a step. */
    public static Optional<Parameter> find(StepKind kind, String name) {
        return of(kind).stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * A new, empty model for a step, its required parameters given by name (missing ones are null).
     */
    public static StepParameters instantiate(StepKind kind, java.util.Map<String, ?> required) {
        Constructor<?> constructor = kind.parametersType().getConstructors()[0];
        Object[] args =
                Stream.of(constructor.getParameters())
                        .map(p -> required.get(p.getName()))
                        .toArray();
        try {
            return (StepParameters) constructor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "cannot create the parameters of " + kind.functionName(), e);
        }
    }
}
