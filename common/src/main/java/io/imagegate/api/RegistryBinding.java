package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.reference.ImageReference;
import java.io.Serializable;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials bound to one registry, written {@code REGISTRY=CREDENTIALS} (a Jenkins credential id,
 * or the CLI's variable names): they are for that registry and are never sent to another. A step
 * whose image comes from a build parameter cannot then hand the credentials to the host the
 * parameter names. {@code registry} is keyed as references key registries ({@code host[:port]} in
 * lower case, {@code docker.io} for Docker Hub and its aliases), and an image is on it only when
 * its registry is exactly that: {@code registry.example.com} is not {@code
 * registry.example.com:8443}.
 *
 * @param registry the registry, normalized
 * @param credentials what names the credentials (never a secret itself)
 */
public record RegistryBinding(String registry, String credentials) implements Serializable {
    public RegistryBinding {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * {@code REGISTRY=CREDENTIALS} as {@code field} gives it; a usage error naming the field and
     * {@code example} when the registry is missing or not a {@code host[:port]} (a URL or an image
     * name is not). The entry is quoted in the error only up to its {@code =}: what follows may be
     * a secret written by mistake.
     */
    public static RegistryBinding parse(Field field, String entry, String example) {
        String text = entry == null ? "" : entry.strip();
        int eq = text.indexOf('=');
        String registry = eq < 0 ? "" : text.substring(0, eq).strip();
        String credentials = eq < 0 ? "" : text.substring(eq + 1).strip();
        Optional<String> key = ImageReference.registryKey(registry);
        if (eq < 0 || credentials.isEmpty()) {
            throw ImageGateException.usage(
                    field,
                    "credentials.unbound",
                    "{0} must name the registry its credentials are for:"
                            + " REGISTRY=…, e.g. {1} (as {2} does); credentials are bound to a registry so that an image named by a parameter"
                            + " cannot send them to another host",
                    field,
                    example,
                    Field.REGISTRY_CREDENTIALS);
        }
        if (key.isEmpty()) {
            throw ImageGateException.usage(
                    field,
                    "credentials.registry-invalid",
                    "\"{0}\" ({1}) is not a registry: write it as"
                            + " host[:port] without a scheme or path, e.g. {2}",
                    registry,
                    field,
                    example);
        }
        return new RegistryBinding(key.get(), credentials);
    }

    /**
     * Whether an image on {@code imageRegistry} (as {@link Inputs#registry} gives it) is on this
     * registry.
     */
    public boolean binds(String imageRegistry) {
        return registry.equals(imageRegistry);
    }

    /**
     * The line to show when an image is not on this registry and so gets none of these credentials,
     * e.g. {@code source their.example/x:1 is on their.example, not on docker.io
     * (sourceCredentialsId docker.io=hub): no credentials are sent for it}.
     */
    public Message notOn(Field imageField, String image, String imageRegistry, Field field) {
        return Message.of(
                "credentials.other-registry",
                "{0} {1} is on {2}, not on {3} ({4} {5}={6}): its credentials are not"
                        + " sent there",
                imageField,
                image,
                imageRegistry,
                registry,
                field,
                registry,
                credentials);
    }

    /**
     * Registry settings (credentials, a CA, plain HTTP) given for a bare host serve every port of
     * it. The registries an operation is given credentials for, {@code bound}, must therefore not
     * include another port's host: a usage error when {@code imageRegistry} ({@code host:port}) has
     * no credentials of its own but its host has.
     */
    public static void checkPort(
            Field imageField, String image, String imageRegistry, Collection<String> bound) {
        String host = ImageReference.hostOf(imageRegistry);
        if (!host.equals(imageRegistry) && !bound.contains(imageRegistry) && bound.contains(host)) {
            throw ImageGateException.usage(
                    imageField,
                    "credentials.other-port",
                    "{0} {1} is on {2}, another port of {3}: the"
                            + " credentials bound to {3} would reach it; bind {2} itself, or name an image on {3}",
                    imageField,
                    image,
                    imageRegistry,
                    host);
        }
    }
}
