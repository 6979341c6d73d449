package io.imagegate.api;

import java.io.Serializable;

/**
 * Where a registry's credentials come from, as a front end knows them: environment variables it names (the CLI's
 * {@code --src-creds-env}), or values it looked up itself (a Maven {@code settings.xml} server, a Jenkins
 * credential). Given per registry in {@link RegistrySettings}; registries without one fall back to Docker's
 * config and its credential helpers, then to anonymous access.
 */
public sealed interface CredentialRef extends Serializable {
    /**
     * {@code VAR} holding {@code user:password}, or {@code USER_VAR:PASSWORD_VAR}: resolved in the operation's
     * environment. {@code field} is the input that named them, for messages.
     */
    record EnvironmentVariables(String spec, Field field) implements CredentialRef {
        public EnvironmentVariables {
            field = field == null ? Field.REGISTRY_CREDENTIALS : field;
        }
    }

    /** A user name and password (or a token used as a password, as ACR accepts). */
    record UsernamePassword(String username, Secret password) implements CredentialRef {
    }

    /** A bearer token sent to the registry as it is. */
    record Token(Secret token) implements CredentialRef {
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
}
