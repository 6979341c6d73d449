package io.imagegate.jenkins;

import java.util.Objects;

/**
 * A credential a step names by id, which the controller must look up before the work goes to the agent: the id, the
 * parameter that named it, which credential types fit, and the URI it is for (a registry, the Trivy server), which the
 * lookup passes as its domain requirement so that credentials in a domain restricted to other hosts do not match.
 */
public final class CredentialUse {
    private final String id;
    private final String parameter;
    private final boolean usernamePassword;
    private final String uri;

    CredentialUse(String id, String parameter, boolean usernamePassword, String uri) {
        this.id = Objects.requireNonNull(id, "id");
        this.parameter = parameter;
        this.usernamePassword = usernamePassword;
        this.uri = uri;
    }

    /** A registry's credential: for {@code https://host[:port]}, Docker Hub's as docker-commons names it. */
    static CredentialUse registry(String id, String parameter, String registry) {
        String uri = registry.equals("docker.io") ? DOCKER_HUB_URI : "https://" + registry;
        return new CredentialUse(id, parameter, true, uri);
    }

    /** Docker Hub's URL as docker-commons' {@code DockerRegistryEndpoint} (and so {@code withRegistry}) names it. */
    static final String DOCKER_HUB_URI = "https://index.docker.io/v1/";

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

    /**
     * The URI the credential is for ({@code https://registry.example.com}, the Trivy server's URL), for the lookup's domain
     * requirement ({@code URIRequirementBuilder.fromUri}); null when the step names none.
     */
    public String uri() {
        return uri;
    }

    /** The message when no usable credential has this id. */
    public String notFound() {
        String kinds = usernamePassword ? "a \"Username with password\" or \"Secret text\" credential" : "a \"Secret text\" credential";
        return "no credential with id '" + id + "' (" + parameter + ") that this build may use" + (uri == null ? "" : " for " + uri)
                + ": add " + kinds + " with that id, or check the id, the folder it is defined in"
                + (uri == null ? "" : ", and that its domain (if any) includes " + uri);
    }

    /** The message when the credential with this id is of another type, e.g. {@code SSH Username with private key}. */
    public String wrongType(String actualType) {
        String kinds = usernamePassword ? "a username with password or a secret text" : "a secret text";
        return "credential '" + id + "' (" + parameter + ") is a " + actualType + ", " + kinds + " was expected";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialUse u && id.equals(u.id) && Objects.equals(parameter, u.parameter) && usernamePassword == u.usernamePassword
                && Objects.equals(uri, u.uri);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, parameter, usernamePassword, uri);
    }

    @Override
    public String toString() {
        return parameter + "=" + id + (uri == null ? "" : " for " + uri);
    }
}
