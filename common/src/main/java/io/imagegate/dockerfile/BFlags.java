package io.imagegate.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows BuildKit v0.34.2 frontend/dockerfile/instructions/bflag.go: the {@code --name=value}
 * flags an instruction defines, and BFlags.Parse's refusals of the others.
 */
final class BFlags {
    /** A flag's kind: boolType, stringType, stringsType (a list: the only one that may repeat). */
    enum Type {
        BOOL,
        STRING,
        STRINGS
    }

    private BFlags() {}

    /**
     * BFlags.Parse: the values of the flags used, by name; unknown, repeated (but lists) and
     * malformed flags are refused.
     */
    static Map<String, List<String>> parse(
            List<BuildKitParser.Flag> flags, Map<String, Type> defined) throws ParseError {
        Map<String, List<String>> used = new LinkedHashMap<>();
        for (BuildKitParser.Flag flag : flags) {
            String a = flag.value();
            if (a.equals("--")) {
                break;
            }
            if (!a.startsWith("--")) {
                throw new ParseError("arg should start with -- : " + a);
            }
            int eq = a.indexOf('=');
            String flagName = eq < 0 ? a : a.substring(0, eq);
            String value = eq < 0 ? "" : a.substring(eq + 1);
            String name = flagName.substring(2);
            Type type = defined.get(name);
            if (type == null) {
                throw new ParseError("unknown flag: " + flagName);
            }
            if (used.containsKey(name) && type != Type.STRINGS) {
                throw new ParseError("duplicate flag specified: " + flagName);
            }
            switch (type) {
                case BOOL -> {
                    if (eq >= 0 && value.isEmpty()) {
                        throw new ParseError("missing a value on flag: " + flagName);
                    }
                    String v = value.toLowerCase(java.util.Locale.ROOT);
                    if (!v.equals("true") && !v.isEmpty() && !v.equals("false")) {
                        throw new ParseError(
                                "expecting boolean value for flag " + flagName + ", not: " + value);
                    }
                }
                case STRING, STRINGS -> {
                    if (eq < 0) {
                        throw new ParseError("missing a value on flag: " + flagName);
                    }
                }
            }
            used.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return used;
    }
}
