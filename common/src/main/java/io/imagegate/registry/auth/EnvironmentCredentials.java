package io.imagegate.registry.auth;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials named by environment variables, so secrets stay out of command lines and build files.
 * {@code VAR} holds {@code user:password}; {@code USER_VAR:PASSWORD_VAR} names two variables.
 */
public final class EnvironmentCredentials {
    private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";

    private EnvironmentCredentials() {}

    /** Whether {@code spec} has the form {@code VAR} or {@code USER_VAR:PASSWORD_VAR}. */
    public static boolean isReference(String spec) {
        return spec != null && spec.matches(NAME + "(:" + NAME + ")?");
    }

    /**
     * Reads the credentials the spec names; errors name the variable, never its value, and never
     * echo a spec that is not a variable name (it may be a password given by mistake).
     */
    public static Credentials read(String spec, Map<String, String> env, Field field) {
        if (spec == null || spec.isBlank()) {
            throw ImageGateException.usage(
                    field,
                    "credentials.env-empty",
                    "an empty environment variable name was given for credentials ({0})",
                    field);
        }
        if (!isReference(spec)) {
            throw ImageGateException.usage(
                    field,
                    "credentials.env-not-a-name",
                    "the credentials reference ({0}) is not an environment"
                            + " variable name: give the name of a variable that holds user:password, or USER_VAR:PASSWORD_VAR, never the"
                            + " secret itself",
                    field);
        }
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            String userVar = spec.substring(0, colon);
            String passwordVar = spec.substring(colon + 1);
            return Credentials.basic(
                            required(userVar, env, field), required(passwordVar, env, field))
                    .from("environment variables " + userVar + " and " + passwordVar);
        }
        String value = required(spec, env, field);
        int separator = value.indexOf(':');
        if (separator <= 0) {
            throw ImageGateException.usage(
                    field,
                    "credentials.env-format",
                    "the environment variable {0} ({1}) must hold user:password"
                            + " (or name two variables as USER_VAR:PASSWORD_VAR)",
                    spec,
                    field);
        }
        return Credentials.basic(value.substring(0, separator), value.substring(separator + 1))
                .from("environment variable " + spec);
    }

    private static String required(String name, Map<String, String> env, Field field) {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            throw ImageGateException.usage(
                    field,
                    "credentials.env-unset",
                    "the environment variable {0} ({1}) is not set; export it with the credentials",
                    name,
                    field);
        }
        return value;
    }

    /** A provider that gives {@code credentials} for {@code registry} only. */
    public static CredentialProvider forRegistry(String registry, Credentials credentials) {
        return r -> r.equals(registry) ? Optional.of(credentials) : Optional.empty();
    }
}
