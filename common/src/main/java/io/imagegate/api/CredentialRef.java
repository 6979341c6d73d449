package io.imagegate.api;

import io.imagegate.message.Field;
import java.io.Serializable;

/**
 * Where a registry's credentials come from, as a front end knows them: environment variables it
 * names (the CLI's {@code --src-creds-env}), or values it looked up itself (a Maven {@code
 * settings.xml} server, a Jenkins credential), or looked up when first needed. Given per registry
 * in {@link RegistrySettings}; registries without one fall back to Docker's config and its
 * credential helpers, then to anonymous access.
 */
public sealed interface CredentialRef extends Serializable {
    /**
     * {@code VAR} holding {@code user:password}, or {@code USER_VAR:PASSWORD_VAR}: resolved in the
     * operation's environment. {@code field} is the input that named them, for messages.
     */
    record EnvironmentVariables(String spec, Field field) implements CredentialRef {
        public EnvironmentVariables {
            field = field == null ? Field.REGISTRY_CREDENTIALS : field;
        }
    }

    /** A user name and password (or a token used as a password, as ACR accepts). */
    record UsernamePassword(String username, Secret password) implements CredentialRef {}

    /** A bearer token sent to the registry as it is. */
    record Token(Secret token) implements CredentialRef {}

    /**
     * Credentials the front end looks up only when an operation first needs them for this registry,
     * such as a Maven {@code settings.xml} server whose password must be decrypted: a broken entry
     * fails only an operation that uses its registry. The lookup gives one of the other kinds, or
     * throws an {@link ImageGateException} that says which entry is broken (never with its secret).
     */
    record Lookup(Source source) implements CredentialRef {
        public Lookup {
            java.util.Objects.requireNonNull(source, "source");
        }
    }

    /** Looks credentials up; see {@link Lookup}. */
    /**
     * {@code credentials}, labelled with where the front end found them ({@code settings.xml server
     * "id"}, a Jenkins credentials ID): a refusal names that source. Never the secret.
     */
    record Labelled(CredentialRef credentials, String label) implements CredentialRef {
        public Labelled {
            java.util.Objects.requireNonNull(credentials, "credentials");
            label = label == null ? "" : label;
        }
    }

    /** {@code credentials}, labelled with where they came from; see {@link Labelled}. */
    static CredentialRef labelled(CredentialRef credentials, String label) {
        return new Labelled(credentials, label);
    }

    @FunctionalInterface
    interface Source extends Serializable {
        CredentialRef get();
    }

    static CredentialRef environment(String spec) {
        return new EnvironmentVariables(spec, Field.REGISTRY_CREDENTIALS);
    }

    static CredentialRef environment(String spec, Field field) {
        return new EnvironmentVariables(spec, field);
    }

    static CredentialRef usernamePassword(String username, String password) {
        return new UsernamePassword(username, Secret.of(password));
    }

    static CredentialRef token(String token) {
        return new Token(Secret.of(token));
    }

    static CredentialRef lookup(Source source) {
        return new Lookup(source);
    }
}
