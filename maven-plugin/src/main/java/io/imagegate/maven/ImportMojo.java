package io.imagegate.maven;

import io.imagegate.api.CredentialRef;
import io.imagegate.api.ImageGate;
import io.imagegate.api.ImportSpec;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Imports images into the private registry, byte for byte, without a Docker daemon: one from the
 * command line (works without a project, like {@code dependency:get}), the ones listed in {@code
 * &amp;lt;images&amp;gt;}, or every image the project's Dockerfiles and Jib use ({@code
 * followProject}), mapped with the same rules as the CLI.
 */
@Mojo(name = "import", requiresProject = false, threadSafe = true)
public class ImportMojo extends AbstractImagesMojo {
    /**
     * The image to copy, e.g. {@code docker.io/library/alpine:3.20}; when given, {@code
     * &amp;lt;images&amp;gt;} and followProject are not used.
     */
    @Parameter(property = "registry.source")
    String source;

    /**
     * Where to put it, e.g. {@code registry.example.com/base/alpine:3.20}; derived from the mapping
     * rules when not given.
     */
    @Parameter(property = "registry.target")
    String target;

    /**
     * Images to take: {@code
     * &amp;lt;image&amp;gt;&amp;lt;source&amp;gt;…&amp;lt;/source&amp;gt;&amp;lt;target&amp;gt;…&amp;lt;/target&amp;gt;&amp;lt;/image&amp;gt;},
     * or {@code &amp;lt;image&amp;gt;SOURCE&amp;lt;/image&amp;gt;} (or {@code SOURCE=TARGET}); as a
     * property, comma-separated {@code SOURCE[=TARGET]}.
     */
    @Parameter(property = "registry.images")
    List<Image> images;

    /**
     * Mapping rules {@code SRC_PREFIX=DST_PREFIX}, comma-separated, first match wins, as the CLI's
     * {@code --map}: {@code =registry.example.com/mirror} puts {@code alpine:3.20} at {@code
     * registry.example.com/mirror/docker.io/library/alpine:3.20}.
     */
    @Parameter(property = "registry.map")
    List<String> map;

    /** Overwrite a target tag that holds a different image. */
    @Parameter(property = "registry.force", defaultValue = "false")
    String force = "false";

    /** Blobs copied at once. */
    @Parameter(property = "registry.parallel", defaultValue = "6")
    int parallel = 6;

    /**
     * Upload blobs larger than this in chunks of this size ({@code 64} MiB, {@code 512k}), for a
     * registry behind a body-capping proxy.
     */
    @Parameter(property = "registry.chunkSize")
    String chunkSize;

    /**
     * Which of the source's referrers travel with the image: {@code all} (signatures, attestations,
     * SBOMs), {@code signatures} (cosign's only) or {@code none}. imagegate verdicts never travel.
     */
    @Parameter(property = "registry.referrers", defaultValue = "all")
    String referrers = "all";

    /** The longest one import may take ({@code 600} seconds, {@code 30m}); default an hour. */
    @Parameter(property = "registry.importTimeout")
    String importTimeout;

    /**
     * Before {@code importTimeout} and {@code scanTimeout}: read as {@code importTimeout} when that
     * is not given.
     */
    @Parameter(property = "registry.timeout")
    String timeout;

    /**
     * The settings.xml {@code &amp;lt;server&amp;gt;} holding the credentials for the source
     * registry, when its id is not the registry's host.
     */
    @Parameter(property = "registry.sourceServerId")
    String sourceServerId;

    /** Skip this goal. */
    @Parameter(property = "registry.import.skip", defaultValue = "false")
    String skipImport = "false";

    @Inject
    public ImportMojo(SettingsDecrypter decrypter) {
        super(decrypter);
    }

    @Override
    String goal() {
        return "import";
    }

    @Override
    boolean goalSkipped() throws MojoExecutionException {
        return flag("skipImport", skipImport);
    }

    @Override
    void checkSwitches() throws MojoExecutionException {
        super.checkSwitches();
        flag(Field.FORCE, force);
    }

    @Override
    String commandLineImage() {
        return source;
    }

    /** The images this run takes ({@link #items(String, String, List, List)}). */
    List<Item> items() throws MojoExecutionException, MojoFailureException {
        return items(source, target, images, map);
    }

    /**
     * Imports are independent and wait mostly on the network: a reactor's modules import side by
     * side.
     */
    @Override
    int modulesAtOnce() {
        return 4;
    }

    @Override
    boolean needsNetwork() {
        return true;
    }

    /** The import of one item, bound. */
    ImportSpec spec(Item item, CredentialRef sourceCredentials, CredentialRef targetCredentials)
            throws MojoExecutionException {
        return ImportSpec.builder()
                .source(item.source())
                .target(item.target())
                .map(split(Field.MAP, map))
                .platforms(list(platforms))
                .force(flag(Field.FORCE, force))
                .parallelism(parallel)
                .chunkSize(chunkSize)
                .timeout(Timeouts.pick("importTimeout", importTimeout, timeout))
                .referrers(referrers)
                .sourceCredentials(sourceCredentials)
                .targetCredentials(targetCredentials)
                .build();
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        List<Item> items = items();
        if (items.isEmpty()) {
            return;
        }
        MavenSettings maven =
                new MavenSettings(session == null ? null : session.getSettings(), decrypter);
        CredentialRef sourceCredentials =
                sourceServerId == null || sourceServerId.isBlank()
                        ? null
                        : maven.serverCredentials(sourceServerId);
        CredentialRef targetCredentials =
                serverId == null || serverId.isBlank() ? null : maven.serverCredentials(serverId);
        ImageGate api = ImageGate.create(settings(Map.of()));
        MavenProgress progress = new MavenProgress(getLog());
        List<ImageGateException> errors =
                eachImage(
                        items,
                        item -> {
                            getLog().info(
                                            "Importing "
                                                    + (item.source() == null ? "" : item.source())
                                                    + (item.usedAt() == null
                                                            ? ""
                                                            : " (used at " + item.usedAt() + ")"));
                            return api.importImage(
                                    spec(item, sourceCredentials, targetCredentials), progress);
                        },
                        result -> {
                            if (result.passed()) {
                                getLog().info(result.summary());
                            }
                        });
        Outcomes.finish(worstOutcome(), "registry:import failed", errors);
    }
}
