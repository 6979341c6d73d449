package io.imagegate.registry;

import io.imagegate.ImageGateException;

import java.util.Map;
import java.util.Optional;

/**
 * Credentials named by environment variables, so secrets stay out of command lines and build files.
 * {@code VAR} holds {@code user:password}; {@code USER_VAR:PASSWORD_VAR} names two variables.
 */
public final class EnvironmentCredentials {
    private EnvironmentCredentials() {
    }

    /** Reads the credentials the spec names; the error names the variable, never its value. */
    public static Credentials read(String spec, Map<String, String> env) {
        if (spec == null || spec.isBlank()) {
            throw new ImageGateException("an empty environment variable name was given for credentials");
        }
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            String userVar = spec.substring(0, colon);
            String passwordVar = spec.substring(colon + 1);
            return Credentials.basic(required(userVar, env), required(passwordVar, env));
        }
        String value = required(spec, env);
        int separator = value.indexOf(':');
        if (separator <= 0) {
            throw new ImageGateException("the environment variable " + spec + " must hold user:password"
                    + " (or name two variables as USER_VAR:PASSWORD_VAR)");
        }
        return Credentials.basic(value.substring(0, separator), value.substring(separator + 1));
    }

    private static String required(String name, Map<String, String> env) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ImageGateException("\"" + name + "\" is not an environment variable name");
        }
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            throw new ImageGateException("the environment variable " + name + " is not set; export it with the credentials");
        }
        return value;
    }

    /** A provider that gives {@code credentials} for {@code registry} only. */
    public static CredentialProvider forRegistry(String registry, Credentials credentials) {
        return r -> r.equals(registry) ? Optional.of(credentials) : Optional.empty();
    }
}
