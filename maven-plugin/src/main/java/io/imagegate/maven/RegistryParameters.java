package io.imagegate.maven;

import java.util.List;
import java.util.Map;

/**
 * The registry parameters every goal shares, bound.
 *
 * @param credentialsEnv {@code REGISTRY=VAR} or {@code REGISTRY=USER_VAR:PASS_VAR}
 * @param servers registry → the settings.xml server id named for it
 * @param insecureRegistries registries allowed over plain HTTP
 * @param caFiles {@code [HOST[:PORT]=]FILE}
 * @param anonymousRegistries registries read without stored credentials
 */
record RegistryParameters(
        List<String> credentialsEnv,
        Map<String, String> servers,
        List<String> insecureRegistries,
        List<String> caFiles,
        List<String> anonymousRegistries) {
    RegistryParameters {
        credentialsEnv = AbstractRegistryMojo.list(credentialsEnv);
        servers = Map.copyOf(servers);
        insecureRegistries = AbstractRegistryMojo.list(insecureRegistries);
        caFiles = AbstractRegistryMojo.list(caFiles);
        anonymousRegistries = AbstractRegistryMojo.list(anonymousRegistries);
    }

    RegistryParameters(
            List<String> credentialsEnv,
            Map<String, String> servers,
            List<String> insecureRegistries,
            List<String> caFiles) {
        this(credentialsEnv, servers, insecureRegistries, caFiles, List.of());
    }
}
