package io.imagegate.maven;

import io.imagegate.api.Secret;
import io.imagegate.api.TrivySettings;
import io.imagegate.message.Field;
import java.io.File;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * How scan and vet run Trivy, as their parameters ({@link AbstractScanningMojo}) give it, bound
 * once.
 */
record ScanParameters(
        File trivy,
        File cacheDir,
        Switches switches,
        String dbRepository,
        String timeout,
        List<String> severity,
        String trivyServer,
        Secret trivyToken) {
    /** Trivy's true/false switches, read. */
    record Switches(boolean skipDbUpdate, boolean skipJavaDbUpdate, boolean offlineScan) {}

    /**
     * The switches as the goal's parameters give them: each {@code true} or {@code false}, else the
     * goal fails naming it.
     */
    static Switches switches(String skipDbUpdate, String skipJavaDbUpdate, String offlineScan)
            throws MojoExecutionException {
        return new Switches(
                AbstractRegistryMojo.flag(Field.SKIP_DB_UPDATE, skipDbUpdate),
                AbstractRegistryMojo.flag(Field.SKIP_JAVA_DB_UPDATE, skipJavaDbUpdate),
                AbstractRegistryMojo.flag(Field.OFFLINE_SCAN, offlineScan));
    }

    /**
     * The API's Trivy settings; the server's token from the named settings.xml server, else the
     * library's default.
     */
    TrivySettings settings() {
        return TrivySettings.builder()
                .path(AbstractRegistryMojo.path(trivy))
                .cacheDir(AbstractRegistryMojo.path(cacheDir))
                .skipDbUpdate(switches.skipDbUpdate())
                .skipJavaDbUpdate(switches.skipJavaDbUpdate())
                .offlineScan(switches.offlineScan())
                .dbRepository(dbRepository)
                .timeout(timeout)
                .severities(AbstractRegistryMojo.list(severity))
                .server(trivyServer, trivyToken)
                .build();
    }
}
