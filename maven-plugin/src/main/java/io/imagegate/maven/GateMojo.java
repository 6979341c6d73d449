package io.imagegate.maven;

import io.imagegate.api.GateResult;
import io.imagegate.api.GateSpec;
import io.imagegate.api.ImageGate;
import io.imagegate.api.ImageSource;
import io.imagegate.message.Field;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Fails the build when the module's Dockerfiles (or Jib's base image) use an image that is not
 * vetted, outside the trusted registry prefixes, or unpinned where digests are required. Bound to
 * {@code validate}, so it fails early; each violation names {@code file:line}, the reason and the
 * goal that fixes it.
 */
@Mojo(name = "gate", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class GateMojo extends AbstractRegistryMojo {
    /**
     * Dockerfiles, or glob patterns such as {@code **}{@code /Dockerfile}, relative to the module
     * (comma-separated); a pattern that matches nothing fails. Default: {@code Dockerfile} and
     * {@code src/main/docker/Dockerfile}, those that exist.
     */
    @Parameter(property = "registry.dockerfiles")
    List<String> dockerfiles;

    /**
     * Trusted registry prefixes, comma-separated, e.g. {@code registry.example.com/base}. Required.
     */
    @Parameter(property = "registry.trusted", required = true)
    List<String> trusted;

    /** Every image must be pinned by digest. */
    @Parameter(property = "registry.requireDigest", defaultValue = "false")
    String requireDigest = "false";

    /**
     * Every image must have a PASS verdict recorded beside it in its registry (what registry:vet
     * records).
     */
    @Parameter(property = "registry.requireVetted", defaultValue = "true")
    String requireVetted = "true";

    /**
     * With requireVetted: only verdicts made under this policy file count (by digest), within its
     * maxVerdictAge.
     */
    @Parameter(property = "registry.policy")
    File policy;

    /** With requireVetted: accept a PASS verdict made under any policy. */
    @Parameter(property = "registry.anyPolicy", defaultValue = "false")
    String anyPolicy = "false";

    /**
     * With requireVetted: cosign public key files (PEM), relative to the module, comma-separated
     * (several for key rotation): a PASS counts only when its signed attestation verifies with one
     * of them and names this digest, this policy and a PASS. Keys the policy lists in {@code
     * verdictKeys} count too.
     */
    @Parameter(property = "registry.verifyKeys")
    List<String> verifyKeys;

    /**
     * Build args, {@code KEY=VALUE}, comma-separated: only ARGs the Dockerfiles declare take them.
     */
    @Parameter(property = "registry.buildArgs")
    List<String> buildArgs;

    /** Target platforms for the automatic platform args ({@code linux/amd64}, comma-separated). */
    @Parameter(property = "registry.platforms")
    List<String> platforms;

    /**
     * Also check the base image configured for Jib ({@code
     * &amp;lt;from&amp;gt;&amp;lt;image&amp;gt;}, {@code -Djib.from.image}).
     */
    @Parameter(property = "registry.jib", defaultValue = "true")
    String jib = "true";

    /**
     * The mapping rules {@code SRC_PREFIX=DST_PREFIX} that registry:vet and registry:rewrite use
     * (comma-separated, first match wins), e.g. {@code
     * docker.io/library=registry.example.com/base}: the fixes the gate prints follow them. Default:
     * every image under the first trusted prefix.
     */
    @Parameter(property = "registry.map")
    List<String> map;

    /** The quarantine repository prefix registry:vet uses, which the printed fixes name. */
    @Parameter(property = "registry.quarantine", defaultValue = "quarantine")
    String quarantine = "quarantine";

    /**
     * Report only: with {@code false}, violations are logged as warnings, each with its fix, and
     * the build goes on (for rolling the gate out).
     */
    @Parameter(property = "registry.failOnViolation", defaultValue = "true")
    String failOnViolation = "true";

    /**
     * With {@code false}, a registry's error (unreachable, credentials refused, image missing) is
     * logged as a warning and the build goes on, though nothing was checked. A bad parameter or
     * setting still fails.
     */
    @Parameter(property = "registry.failOnError", defaultValue = "true")
    String failOnError = "true";

    /**
     * Where the violations are written as a SARIF 2.1.0 log (one error per violation, at the
     * Dockerfile line or the {@code pom.xml} line of Jib's base image, relative to the module), for
     * code-scanning views; an empty log when the gate passes. Default: {@code
     * target/imagegate/gate.sarif}.
     */
    @Parameter(property = "registry.sarifFile")
    File sarifFile;

    /** Skip this goal. */
    @Parameter(property = "registry.gate.skip", defaultValue = "false")
    String skipGate = "false";

    @Inject
    public GateMojo(SettingsDecrypter decrypter) {
        super(decrypter);
    }

    @Override
    String goal() {
        return "gate";
    }

    @Override
    boolean goalSkipped() throws MojoExecutionException {
        return flag("skipGate", skipGate);
    }

    @Override
    void checkSwitches() throws MojoExecutionException {
        super.checkSwitches();
        flag(Field.REQUIRE_DIGEST, requireDigest);
        flag(Field.REQUIRE_VETTED, requireVetted);
        flag(Field.ANY_POLICY, anyPolicy);
        flag("jib", jib);
        tolerance();
    }

    /** {@link #failOnViolation} and {@link #failOnError}, read. */
    Tolerance tolerance() throws MojoExecutionException {
        return new Tolerance(
                flag("failOnViolation", failOnViolation), flag("failOnError", failOnError));
    }

    /**
     * With requireVetted, when there is anything to gate: a module without images needs nothing,
     * offline or not.
     */
    @Override
    boolean needsNetwork() throws MojoExecutionException {
        GateSpec spec = spec();
        return spec.requireVetted() && !(spec.files().isEmpty() && spec.images().isEmpty());
    }

    /** Offline, the gate can still check trusted prefixes and digests: no verdict is read. */
    @Override
    String offlineAlternative() {
        return ", or gate offline with "
                + (setInPom("requireVetted")
                        ? "<requireVetted>false</requireVetted> in the POM (which sets it)"
                        : "-Dregistry.requireVetted=false")
                + " (trusted prefixes and digests only; no verdict is checked)";
    }

    /** The images configured outside Dockerfiles that the gate checks. */
    List<ImageSource> configuredImages() throws MojoExecutionException {
        List<ImageSource> out = new ArrayList<>();
        if (flag("jib", jib)) {
            ProjectImages.jibBaseImage(project, session).ifPresent(out::add);
        }
        return out;
    }

    /** The gate's inputs, bound. */
    GateSpec spec() throws MojoExecutionException {
        return GateSpec.builder()
                .files(ProjectImages.dockerfiles(split(Field.DOCKERFILES, dockerfiles), basedir()))
                .images(configuredImages())
                .buildArgs(list(buildArgs))
                // registry:vet keeps only the platforms its POM configuration names: a fix that
                // pins
                // the digest a vet promotes must know them (they are the build's targets too).
                .platforms(
                        list(platforms).isEmpty()
                                ? fixes().configured("vet", Field.PLATFORM)
                                : list(platforms))
                .trusted(split(Field.TRUSTED, trusted))
                .requireDigest(flag(Field.REQUIRE_DIGEST, requireDigest))
                .requireVetted(flag(Field.REQUIRE_VETTED, requireVetted))
                .policy(path(policy))
                .anyPolicy(flag(Field.ANY_POLICY, anyPolicy))
                .verifyKeys(
                        split(Field.VERIFY_KEY, verifyKeys).stream()
                                .map(k -> basedir().resolve(k).toString())
                                .toList())
                .map(split(Field.MAP, map))
                .quarantine(quarantine)
                .build();
    }

    /**
     * Fixes as this project runs them: a parameter its POM sets for the fix's goal is never given
     * as a {@code -D} property, which would not override it.
     */
    PomFixes fixes() {
        String key =
                mojoExecution == null
                        ? "io.imagegate:registry-maven-plugin"
                        : mojoExecution
                                .getMojoDescriptor()
                                .getPluginDescriptor()
                                .getPluginLookupKey();
        return new PomFixes(project, key, basedir());
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        GateSpec spec = spec();
        if (spec.files().isEmpty() && spec.images().isEmpty()) {
            getLog().info(
                            "No Dockerfile ("
                                    + String.join(", ", ProjectImages.DEFAULT_DOCKERFILES)
                                    + ") and no Jib base image in "
                                    + basedir()
                                    + ": nothing to gate");
            return;
        }
        GateResult result =
                ImageGate.create(
                                settings(
                                        serverFor(
                                                spec.trusted().stream()
                                                        .map(AbstractRegistryMojo::registryOfPrefix)
                                                        .distinct()
                                                        .toList())))
                        .gate(spec);
        results.add(result);
        if (result.error().isEmpty()) {
            getLog().info("registry:gate: " + result.summary());
            Path sarif =
                    result.writeSarif(
                            sarifFile != null
                                    ? sarifFile.toPath()
                                    : buildDirectory().resolve("imagegate").resolve("gate.sarif"),
                            basedir(),
                            fixes());
            getLog().debug("registry:gate: SARIF log " + sarif);
        }
        String violations =
                result.violations().stream()
                        .map(v -> "  " + v.describe(fixes()))
                        .collect(Collectors.joining("\n"));
        Outcomes.finish(
                result.outcome(),
                false,
                "registry:gate: " + result.summary() + ":\n" + violations,
                result.error().map(List::of).orElse(List.of()),
                tolerance(),
                getLog());
    }

    Optional<GateResult> result() {
        return results.isEmpty() ? Optional.empty() : Optional.of((GateResult) results.get(0));
    }
}
