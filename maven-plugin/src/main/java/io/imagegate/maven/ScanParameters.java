package io.imagegate.maven;

import io.imagegate.api.Inputs;
import io.imagegate.api.Secret;
import io.imagegate.api.TrivySettings;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

/**
 * How scan and vet run Trivy, as their parameters give it: each goal declares the same parameters (Maven binds
 * parameters per goal), this binds them once.
 */
record ScanParameters(File trivy, File cacheDir, boolean skipDbUpdate, boolean skipJavaDbUpdate, boolean offlineScan, String dbRepository,
                      String timeout, List<String> severity, String trivyServer, Secret trivyToken) {
    /** The API's Trivy settings; the server's token from the named settings.xml server, else the library's default. */
    TrivySettings settings() {
        return TrivySettings.builder().path(AbstractRegistryMojo.path(trivy)).cacheDir(AbstractRegistryMojo.path(cacheDir))
                .skipDbUpdate(skipDbUpdate).skipJavaDbUpdate(skipJavaDbUpdate).offlineScan(offlineScan).dbRepository(dbRepository)
                .timeout(timeout).severities(AbstractRegistryMojo.list(severity)).server(trivyServer, trivyToken).build();
    }

    /** The report directory of one image: {@code <reportDirectory>/<image as a file name>}. */
    static String reportDirectory(File base, String image) {
        if (base == null || image == null) {
            return null;
        }
        return Path.of(base.getPath(), Inputs.fileName(image)).toString();
    }
}
