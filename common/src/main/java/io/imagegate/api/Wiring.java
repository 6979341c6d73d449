package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import io.imagegate.registry.RegistryConfig;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialChain;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.registry.auth.Credentials;
import io.imagegate.registry.auth.DockerConfigCredentials;
import io.imagegate.registry.auth.EnvironmentCredentials;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link Settings} turned into the engine's transport options and the one credential chain. */
final class Wiring {
    private Wiring() {}

    static TransportOptions transport(Settings settings) {
        TransportOptions options =
                TransportOptions.defaults()
                        .withTimeouts(
                                TransportOptions.defaults().connectTimeout(),
                                settings.exchangeTimeout(),
                                TransportOptions.defaults().transferTimeout())
                        .withMaxRetryAfter(settings.maxRetryAfter());
        Path cwd = Path.of(settings.environment().workingDirectory());
        for (RegistrySettings r : settings.registries()) {
            RegistryConfig config = RegistryConfig.of(r.registry()).withPlainHttp(r.plainHttp());
            if (r.caFile().isPresent()) {
                config = config.withCaFile(cwd.resolve(r.caFile().get()));
            }
            if (r.chunkSizeBytes().isPresent()) {
                config = config.withChunkSize(r.chunkSizeBytes().get());
            }
            options = options.withRegistry(config);
        }
        for (ProxySettings p : settings.proxies()) {
            options =
                    options.withProxy(
                            new io.imagegate.registry.ProxyConfig(
                                    p.scheme(),
                                    p.host(),
                                    p.port(),
                                    p.username(),
                                    p.password() == null ? null : p.password().reveal(),
                                    p.nonProxyHosts()));
        }
        return options;
    }

    /**
     * Given credentials per registry, then Docker's config (and its helpers), then anonymous; none
     * at all for registries named anonymous.
     */
    static CredentialProvider credentials(Settings settings) {
        Environment env = settings.environment();
        Map<String, Supplier<Credentials>> given = new LinkedHashMap<>();
        java.util.Set<String> anonymous = new java.util.HashSet<>();
        for (RegistrySettings r : settings.registries()) {
            if (r.anonymous() && !r.registry().isEmpty()) {
                anonymous.add(r.registry());
            }
            if (r.credentials().isPresent() && !r.registry().isEmpty()) {
                CredentialRef ref = r.credentials().get();
                String registry = r.registry();
                given.put(
                        registry,
                        () -> {
                            Credentials c = resolve(ref, env);
                            return c.source().isEmpty()
                                    ? c.from("the credentials given for " + registry)
                                    : c;
                        });
            }
        }
        // Docker's config is read when first needed, inside an operation, so a broken one fails
        // that operation only.
        java.util.concurrent.atomic.AtomicReference<DockerConfigCredentials> docker =
                new java.util.concurrent.atomic.AtomicReference<>();
        CredentialProvider lazyDocker =
                registry ->
                        docker.updateAndGet(
                                        d ->
                                                d != null
                                                        ? d
                                                        : DockerConfigCredentials.fromEnvironment(
                                                                env.variables(),
                                                                Path.of(env.homeDirectory())))
                                .credentialsFor(registry);
        CredentialProvider chain = new CredentialChain(given, lazyDocker);
        if (anonymous.isEmpty()) {
            return chain;
        }
        return registry ->
                isNamed(registry, anonymous) ? Optional.empty() : chain.credentialsFor(registry);
    }

    /**
     * Whether {@code registry} ({@code host[:port]}) is among {@code named}, itself or by its host,
     * as given credentials are matched.
     */
    static boolean isNamed(String registry, java.util.Set<String> named) {
        String lower = registry.toLowerCase(java.util.Locale.ROOT);
        return named.contains(lower)
                || named.contains(io.imagegate.reference.ImageReference.hostOf(lower));
    }

    private static Credentials resolve(CredentialRef ref, Environment env) {
        if (ref instanceof CredentialRef.Labelled labelled) {
            Credentials inner = resolve(labelled.credentials(), env);
            return labelled.label().isEmpty() ? inner : inner.from(labelled.label());
        }
        if (ref instanceof CredentialRef.Lookup lookup) {
            CredentialRef found = lookup.source().get();
            if (found == null
                    || found instanceof CredentialRef.Lookup
                    || found instanceof CredentialRef.Labelled l
                            && l.credentials() instanceof CredentialRef.Lookup) {
                throw ImageGateException.internal(
                        "credentials.lookup",
                        "a credential lookup gave {0}, not credentials",
                        found == null ? "nothing" : "another lookup");
            }
            return resolve(found, env);
        }
        if (ref instanceof CredentialRef.EnvironmentVariables vars) {
            return EnvironmentCredentials.read(vars.spec(), env.variables(), vars.field());
        }
        if (ref instanceof CredentialRef.UsernamePassword up) {
            return Credentials.basic(up.username(), up.password().reveal());
        }
        return Credentials.registryToken(((CredentialRef.Token) ref).token().reveal());
    }
}
