package io.imagegate.jenkins;

import java.util.Objects;

/**
 * A credential a step names by id, which the controller must look up before the work goes to the agent: the id, the
 * parameter that named it, and which credential types fit.
 */
public final class CredentialUse {
    private final String id;
    private final String parameter;
    private final boolean usernamePassword;

    CredentialUse(String id, String parameter, boolean usernamePassword) {
        this.id = Objects.requireNonNull(id, "id");
        this.parameter = parameter;
        this.usernamePassword = usernamePassword;
    }

    /** The credential id. */
    public String id() {
        return id;
    }

    /** The step parameter that named it, e.g. {@code targetCredentialsId}. */
    public String parameter() {
        return parameter;
    }

    /** Whether a username with password fits (registries); a secret text always does. */
    public boolean acceptsUsernamePassword() {
        return usernamePassword;
    }

    /** The message when no usable credential has this id. */
    public String notFound() {
        String kinds = usernamePassword ? "a \"Username with password\" or \"Secret text\" credential" : "a \"Secret text\" credential";
        return "no credential with id '" + id + "' (" + parameter + ") that this build may use: add " + kinds + " with that id, or"
                + " check the id and the folder it is defined in";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialUse u && id.equals(u.id) && Objects.equals(parameter, u.parameter) && usernamePassword == u.usernamePassword;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, parameter, usernamePassword);
    }

    @Override
    public String toString() {
        return parameter + "=" + id;
    }
}
