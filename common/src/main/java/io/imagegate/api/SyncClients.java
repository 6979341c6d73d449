package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.TransportListener;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.registry.auth.Credentials;
import io.imagegate.registry.auth.DockerConfigCredentials;
import io.imagegate.registry.auth.EnvironmentCredentials;
import io.imagegate.vetting.SyncFile;
import io.imagegate.vetting.Vetter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The registry clients of one sync: the sync's own, and one for each credential set and the source
 * registry it is used for. A credential set's credentials go to that registry only; every other
 * registry (the target, the quarantine) gets the sync's credentials. Each client has its own
 * tokens, so a token fetched with one set's credentials never serves another.
 */
final class SyncClients implements AutoCloseable {
    private final ImageGate gate;
    private final SyncFile sync;
    private final TransportListener listener;
    private final Function<RegistryClient, Vetter> vetterOf;
    private final RegistryClient base;
    private final Vetter baseVetter;
    private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Vetter> vetters = new ConcurrentHashMap<>();

    SyncClients(
            ImageGate gate,
            SyncFile sync,
            TransportListener listener,
            Function<RegistryClient, Vetter> vetterOf) {
        this.gate = gate;
        this.sync = sync;
        this.listener = listener;
        this.vetterOf = vetterOf;
        this.base = gate.client(listener);
        this.baseVetter = vetterOf == null ? null : vetterOf.apply(base);
    }

    /** The sync file's {@code anonymous:} registries as settings: no stored credentials. */
    static List<RegistrySettings> anonymous(SyncFile sync) {
        List<RegistrySettings> out = new ArrayList<>();
        for (String host : sync.anonymous()) {
            ImageReference.registryKey(host.strip())
                    .ifPresent(key -> out.add(RegistrySettings.of(key).withAnonymous(true)));
        }
        return out;
    }

    RegistryClient client(SyncFile.Entry entry) {
        String key = key(entry);
        return key == null ? base : clients.computeIfAbsent(key, k -> open(entry));
    }

    Vetter vetter(SyncFile.Entry entry) {
        String key = key(entry);
        return key == null
                ? baseVetter
                : vetters.computeIfAbsent(key, k -> vetterOf.apply(client(entry)));
    }

    /** The credential set and the registry it is for, or null for the sync's own client. */
    private static String key(SyncFile.Entry entry) {
        if (entry.credentialSet() == null) {
            return null;
        }
        return entry.credentialSet() + " " + sourceRegistry(entry);
    }

    private static String sourceRegistry(SyncFile.Entry entry) {
        String s = entry.source().strip();
        return ImageReference.parse(s.endsWith("/*") ? s.substring(0, s.length() - 2) : s)
                .registry();
    }

    private RegistryClient open(SyncFile.Entry entry) {
        String name = entry.credentialSet();
        SyncFile.CredentialSet set = sync.credentialSets().get(name);
        String registry = sourceRegistry(entry);
        Environment env = gate.settings().environment();
        CredentialProvider others = gate.credentials();
        Credentials[] resolved = new Credentials[1];
        CredentialProvider provider =
                r -> {
                    if (!r.equalsIgnoreCase(registry)) {
                        return others.credentialsFor(r);
                    }
                    synchronized (resolved) {
                        if (resolved[0] == null) {
                            resolved[0] = resolve(name, set, registry, env);
                        }
                        return Optional.of(resolved[0]);
                    }
                };
        return gate.client(listener, provider);
    }

    /** A credential set's credentials for its registry, resolved when first needed. */
    private static Credentials resolve(
            String name, SyncFile.CredentialSet set, String registry, Environment env) {
        if (set.env() != null) {
            Credentials c =
                    EnvironmentCredentials.read(set.env(), env.variables(), Field.SYNC_FILE);
            return c.from(c.source() + " (credential set " + name + ")");
        }
        return DockerConfigCredentials.fromEnvironment(
                        env.variables(), Path.of(env.homeDirectory()))
                .credentialsFor(registry)
                .map(c -> c.from(c.source() + " (credential set " + name + ")"))
                .orElseThrow(
                        () ->
                                ImageGateException.configuration(
                                        "sync.credential-set-empty",
                                        "the credential set {0} reads Docker's config, which holds"
                                                + " no credentials for {1}; run docker login {1}",
                                        name,
                                        registry));
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (RegistryClient c : clients.values()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        base.close();
        if (first != null) {
            throw first;
        }
    }
}
