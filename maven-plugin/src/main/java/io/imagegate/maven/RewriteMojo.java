package io.imagegate.maven;

import io.imagegate.api.ImageGate;
import io.imagegate.api.RewriteResult;
import io.imagegate.api.RewriteSpec;
import io.imagegate.message.Field;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Rewrites the module's Dockerfiles to use the private registry (optionally pinned by digest),
 * changing only the reference text. With {@code -Dregistry.rewrite.check} it writes nothing and
 * fails the build with the diff when a Dockerfile is not rewritten yet.
 */
@Mojo(name = "rewrite", threadSafe = true)
public class RewriteMojo extends AbstractRegistryMojo {
    /**
     * Dockerfiles or glob patterns, relative to the module; default: {@code Dockerfile} and {@code
     * src/main/docker/Dockerfile}, those that exist.
     */
    @Parameter(property = "registry.dockerfiles")
    List<String> dockerfiles;

    /**
     * Mapping rules {@code SRC_PREFIX=DST_PREFIX}, comma-separated, first match wins; {@code
     * =PREFIX} maps everything to {@code PREFIX/&amp;lt;host&amp;gt;/&amp;lt;path&amp;gt;}.
     */
    @Parameter(property = "registry.map")
    List<String> map;

    /** Pin each reference to the digest its tag holds in the private registry. */
    @Parameter(property = "registry.pin", defaultValue = "false")
    String pin = "false";

    /**
     * With pin: pin this platform's manifest ({@code linux/amd64}) instead of the multi-arch index.
     */
    @Parameter(property = "registry.pinPlatform")
    String pinPlatform;

    /**
     * Build args, {@code KEY=VALUE}, comma-separated: the Dockerfiles are read with the ARG
     * defaults and with these, and a change must be right for both.
     */
    @Parameter(property = "registry.buildArgs")
    List<String> buildArgs;

    /**
     * Write nothing; fail the build with the diff when anything would change, and naming every
     * reference that needs an edit by hand.
     */
    @Parameter(property = "registry.rewrite.check", defaultValue = "false")
    String check = "false";

    /** Skip this goal. */
    @Parameter(property = "registry.rewrite.skip", defaultValue = "false")
    String skipRewrite = "false";

    @Inject
    public RewriteMojo(SettingsDecrypter decrypter) {
        super(decrypter);
    }

    @Override
    String goal() {
        return "rewrite";
    }

    @Override
    boolean goalSkipped() throws MojoExecutionException {
        return flag("skipRewrite", skipRewrite);
    }

    @Override
    void checkSwitches() throws MojoExecutionException {
        super.checkSwitches();
        flag(Field.PIN, pin);
        flag(Field.CHECK, check);
    }

    /** With pin, when there is a Dockerfile to rewrite. */
    @Override
    boolean needsNetwork() throws MojoExecutionException {
        return flag(Field.PIN, pin) && !spec().files().isEmpty();
    }

    /** The rewrite's inputs, bound. */
    RewriteSpec spec() throws MojoExecutionException {
        return new RewriteSpec(
                ProjectImages.dockerfiles(split(Field.DOCKERFILES, dockerfiles), basedir()),
                split(Field.MAP, map),
                flag(Field.PIN, pin),
                pinPlatform,
                flag(Field.CHECK, check),
                list(buildArgs));
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        RewriteSpec spec = spec();
        if (spec.files().isEmpty()) {
            getLog().info(
                            "No Dockerfile ("
                                    + String.join(", ", ProjectImages.DEFAULT_DOCKERFILES)
                                    + ") in "
                                    + basedir()
                                    + ": nothing to rewrite");
            return;
        }
        List<String> registries = new ArrayList<>();
        for (String rule : spec.map()) {
            registries.add(registryOfPrefix(rule));
        }
        RewriteResult result = ImageGate.create(settings(serverFor(registries))).rewrite(spec);
        results.add(result);
        List<String> diff = new ArrayList<>();
        List<String> byHand = new ArrayList<>();
        for (RewriteResult.FileChange file : result.files()) {
            file.skipped().forEach(m -> getLog().warn(m.render(MavenVocabulary.INSTANCE)));
            file.needsEdit().forEach(m -> byHand.add(m.render(MavenVocabulary.INSTANCE)));
            if (!spec.check()) {
                file.diff().forEach(line -> getLog().info(line));
                getLog().info(
                                file.file()
                                        + (file.written() ? ": rewritten" : ": nothing to change"));
            }
            diff.addAll(file.diff());
        }
        StringBuilder failure =
                new StringBuilder(
                        diff.isEmpty()
                                ? "registry:rewrite: the Dockerfiles need edits (-Dregistry.rewrite.check);"
                                : "registry:rewrite: the Dockerfiles do not use the private registry yet"
                                        + " (-Dregistry.rewrite.check);");
        if (!diff.isEmpty()) {
            failure.append(" run mvn registry:rewrite to change these lines:\n")
                    .append(String.join("\n", diff.stream().map(l -> "  " + l).toList()));
        }
        if (!byHand.isEmpty()) {
            failure.append(diff.isEmpty() ? " " : "\nand ")
                    .append("edit these by hand (registry:rewrite cannot):\n")
                    .append(String.join("\n", byHand.stream().map(l -> "  " + l).toList()));
        }
        Outcomes.finish(
                result.outcome(),
                failure.toString(),
                result.error().map(List::of).orElse(List.of()));
    }
}
