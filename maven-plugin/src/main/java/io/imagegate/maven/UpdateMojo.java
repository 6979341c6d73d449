package io.imagegate.maven;

import io.imagegate.api.ImageGate;
import io.imagegate.api.Inputs;
import io.imagegate.api.UpdateResult;
import io.imagegate.api.UpdateSpec;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Re-pins every reference under a trusted prefix, in every module's Dockerfiles and Jib
 * configuration ({@code pom.xml}), to the newest vetted digest of its tag; a digest without a PASS
 * verdict is never pinned. One run for the whole build (one diff, one summary, one commit). With
 * {@code -Dregistry.update.check} it writes nothing and fails the build with the diff when a pin is
 * stale.
 */
@Mojo(name = "update", aggregator = true, threadSafe = true)
public class UpdateMojo extends AbstractRegistryMojo {
    /**
     * Dockerfiles or glob patterns, relative to each module (comma-separated); default: {@code
     * Dockerfile} and {@code src/main/docker/Dockerfile}, those that exist.
     */
    @Parameter(property = "registry.dockerfiles")
    List<String> dockerfiles;

    /**
     * Trusted registry prefixes, comma-separated, e.g. {@code registry.example.com/base}: only
     * references under one change. Required.
     */
    @Parameter(property = "registry.trusted", required = true)
    List<String> trusted;

    /** Also update Jib's base image in each module's {@code pom.xml}. */
    @Parameter(property = "registry.jib", defaultValue = "true")
    String jib = "true";

    /** Only verdicts made under this policy file count (by digest), within its maxVerdictAge. */
    @Parameter(property = "registry.policy")
    File policy;

    /** Accept a PASS verdict made under any policy. */
    @Parameter(property = "registry.anyPolicy", defaultValue = "false")
    String anyPolicy = "false";

    /**
     * Cosign public key files (PEM), relative to the project, comma-separated: a PASS counts only
     * when signed by one of them. Keys the policy lists in {@code verdictKeys} count too.
     */
    @Parameter(property = "registry.verifyKeys")
    List<String> verifyKeys;

    /**
     * Write nothing; fail the build with the diff when a pin is stale (a nightly "are we current"
     * job).
     */
    @Parameter(property = "registry.update.check", defaultValue = "false")
    String check = "false";

    /**
     * Write the change to this file as a patch {@code git apply} takes (relative to the project),
     * instead of changing the files.
     */
    @Parameter(property = "registry.update.patch")
    String patch;

    /**
     * Write a Markdown summary to this file (relative to the project): per image old and new
     * digest, where, its verdict, findings fixed, introduced and still present.
     */
    @Parameter(property = "registry.update.summary")
    String summary;

    /** Commit the change with git (the repository holding the project). */
    @Parameter(property = "registry.update.commit", defaultValue = "false")
    String commit = "false";

    /**
     * With commit: commit on this branch, made from HEAD, while the branch checked out stays
     * checked out; {@code true} (a bare {@code -Dregistry.update.branch}) names it {@code
     * imagegate/&amp;lt;image&amp;gt;-&amp;lt;short digest&amp;gt;}.
     */
    @Parameter(property = "registry.update.branch")
    String branch;

    /**
     * Write the vetted releases as a Renovate custom datasource (JSON) to this file, relative to
     * the project; {@code {repository}} in it gives one file per repository.
     */
    @Parameter(property = "registry.update.renovateDatasource")
    String renovateDatasource;

    /** Skip this goal. */
    @Parameter(property = "registry.update.skip", defaultValue = "false")
    String skipUpdate = "false";

    @Inject
    public UpdateMojo(SettingsDecrypter decrypter) {
        super(decrypter);
    }

    @Override
    String goal() {
        return "update";
    }

    @Override
    boolean goalSkipped() throws MojoExecutionException {
        return flag("skipUpdate", skipUpdate);
    }

    @Override
    void checkSwitches() throws MojoExecutionException {
        super.checkSwitches();
        flag("jib", jib);
        flag(Field.ANY_POLICY, anyPolicy);
        check();
        flag(Field.COMMIT, commit);
    }

    /**
     * {@link #check}, read: named as this goal spells it, not as {@link Field#CHECK} (rewrite's
     * property too).
     */
    boolean check() throws MojoExecutionException {
        try {
            return Inputs.bool(MavenVocabulary.UPDATE_CHECK, check);
        } catch (ImageGateException e) {
            throw Outcomes.error(List.of(e));
        }
    }

    /** When there is a file to update: every trusted tag is resolved in its registry. */
    @Override
    boolean needsNetwork() throws MojoExecutionException {
        return !files().isEmpty();
    }

    /**
     * Every module's Dockerfiles and, with jib, its {@code pom.xml}, relative to the project (each
     * once).
     */
    List<String> files() throws MojoExecutionException {
        List<String> patterns = split(Field.DOCKERFILES, dockerfiles);
        boolean withJib = flag("jib", jib);
        Path top = basedir();
        Set<String> out = new LinkedHashSet<>();
        for (MavenProject module : modules()) {
            Path dir = module.getBasedir() == null ? top : module.getBasedir().toPath().normalize();
            for (String file : ProjectImages.dockerfiles(patterns, dir)) {
                out.add(relative(top, dir.resolve(file)));
            }
            if (withJib
                    && module.getFile() != null
                    && Files.isRegularFile(module.getFile().toPath())) {
                out.add(relative(top, module.getFile().toPath()));
            }
        }
        return new ArrayList<>(out);
    }

    /** The build's modules; this project alone when Maven gives none (a test's harness). */
    private List<MavenProject> modules() {
        List<MavenProject> projects = session == null ? null : session.getProjects();
        if (projects != null && !projects.isEmpty()) {
            return projects;
        }
        return project == null ? List.of() : List.of(project);
    }

    private static String relative(Path top, Path file) {
        Path normalized = file.toAbsolutePath().normalize();
        Path base = top.toAbsolutePath().normalize();
        return normalized.startsWith(base)
                ? base.relativize(normalized).toString()
                : normalized.toString();
    }

    /** The update's inputs, bound. */
    UpdateSpec spec() throws MojoExecutionException {
        boolean commits = flag(Field.COMMIT, commit);
        if (commits && check()) {
            // the library would name rewrite's check property (Field.CHECK)
            throw new MojoExecutionException(
                    MavenVocabulary.INSTANCE.field(Field.COMMIT)
                            + " and "
                            + MavenVocabulary.UPDATE_CHECK
                            + " exclude each other: a check changes nothing to commit");
        }
        return UpdateSpec.builder()
                .paths(files())
                .trusted(split(Field.TRUSTED, trusted))
                .policy(path(policy))
                .anyPolicy(flag(Field.ANY_POLICY, anyPolicy))
                .verifyKeys(
                        split(Field.VERIFY_KEY, verifyKeys).stream()
                                .map(k -> basedir().resolve(k).toString())
                                .toList())
                .check(check())
                .patch(patch)
                .summary(summary)
                .commit(commits)
                .branch(branch(branch))
                .renovateDatasource(renovateDatasource)
                .build();
    }

    /**
     * The branch as the library takes it: Maven gives {@code true} for a bare {@code -D} and an
     * empty text for {@code -D…=}; both mean the derived name.
     */
    static String branch(String given) {
        if (given == null) {
            return null;
        }
        return given.isBlank() || given.strip().equals("true") ? "" : given.strip();
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        UpdateSpec spec = spec();
        if (spec.paths().isEmpty()) {
            getLog().info(
                            "No Dockerfile ("
                                    + String.join(", ", ProjectImages.DEFAULT_DOCKERFILES)
                                    + ") and no pom.xml in "
                                    + basedir()
                                    + ": nothing to update");
            return;
        }
        UpdateResult result =
                ImageGate.create(
                                settings(
                                        serverFor(
                                                spec.trusted().stream()
                                                        .map(AbstractRegistryMojo::registryOfPrefix)
                                                        .distinct()
                                                        .toList())))
                        .update(spec, MavenVocabulary.INSTANCE);
        results.add(result);
        List<String> diff = new ArrayList<>();
        if (result.error().isEmpty()) {
            result.held().forEach(m -> getLog().warn(m.render(MavenVocabulary.INSTANCE)));
            result.files().forEach(f -> diff.addAll(f.diff()));
            if (!spec.check()) {
                diff.forEach(line -> getLog().info(line));
                for (UpdateResult.Image image : result.images()) {
                    if (image.changed()) {
                        getLog().info(describe(image));
                    }
                }
                if (!result.changed()) {
                    getLog().info(
                                    "registry:update: nothing to update: every trusted reference is"
                                            + " pinned to the newest vetted digest of its tag");
                }
                if (!result.patchFile().isEmpty()) {
                    getLog().info("registry:update: patch written to " + result.patchFile());
                }
                if (!result.summaryFile().isEmpty()) {
                    getLog().info("registry:update: summary written to " + result.summaryFile());
                }
                if (!result.branch().isEmpty()) {
                    getLog().info(
                                    "registry:update: committed "
                                            + result.commit()
                                            + " on "
                                            + result.branch());
                }
            } else if (!result.changed()) {
                getLog().info("registry:update: every trusted reference is current");
            }
        }
        StringBuilder failure =
                new StringBuilder(
                        "registry:update: pins are stale (-Dregistry.update.check);"
                                + " run mvn registry:update to change these lines:\n");
        failure.append(String.join("\n", diff.stream().map(l -> "  " + l).toList()));
        for (UpdateResult.Image image : result.images()) {
            if (image.changed()) {
                failure.append("\n  ").append(describe(image));
            }
        }
        Outcomes.finish(
                result.outcome(),
                failure.toString(),
                result.error().map(List::of).orElse(List.of()));
    }

    private static String describe(UpdateResult.Image image) {
        return image.image()
                + ": "
                + (image.from().isEmpty() ? "(by tag)" : String.join(", ", image.from()))
                + " -> "
                + image.digest()
                + " (vetted "
                + image.vettedAt()
                + ", "
                + image.fixed().size()
                + " finding(s) fixed, "
                + image.introduced().size()
                + " introduced)";
    }
}
