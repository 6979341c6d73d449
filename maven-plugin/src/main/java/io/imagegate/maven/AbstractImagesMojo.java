package io.imagegate.maven;

import io.imagegate.api.ImageGate;
import io.imagegate.api.ImageSource;
import io.imagegate.api.ImportPlan;
import io.imagegate.api.ImportPlanSpec;
import io.imagegate.api.Outcome;
import io.imagegate.message.Field;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Goals that take images from the module's build as well as from their parameters (import, vet,
 * scan): asked to follow the project, every image its Dockerfiles and Jib use. Import and vet also
 * take one from the command line ({@code -Dregistry.source}) or the ones listed in {@code
 * <images>}, mapped into the private registry with the same rules as the CLI's {@code --map}
 * ({@link #items}); each declares those parameters itself, as scan, which takes images in its own
 * way, must not have them (Maven reads a goal's parameters from its class and its superclasses
 * only).
 */
abstract class AbstractImagesMojo extends AbstractRegistryMojo {
    /**
     * Take every image the module's Dockerfiles (and Jib's base image) use: import and vet each
     * mapped with the rules, scan each as the build uses it.
     */
    @Parameter(property = "registry.followProject", defaultValue = "false")
    String followProject = "false";

    /**
     * With followProject: the Dockerfiles (default: {@code Dockerfile} and {@code
     * src/main/docker/Dockerfile}, those that exist).
     */
    @Parameter(property = "registry.dockerfiles")
    List<String> dockerfiles;

    /** With followProject: build args {@code KEY=VALUE}, comma-separated. */
    @Parameter(property = "registry.buildArgs")
    List<String> buildArgs;

    /**
     * Import and vet keep only these platforms of multi-arch images ({@code
     * linux/amd64,linux/arm64}; default: all); with followProject, the target platforms for the
     * automatic platform args.
     */
    @Parameter(property = "registry.platforms")
    List<String> platforms;

    /** With followProject: also take (or scan) the base image configured for Jib. */
    @Parameter(property = "registry.jib", defaultValue = "true")
    String jib = "true";

    /**
     * A configured or followed image: where it goes, and where the build uses it (for messages).
     */
    record Item(String source, String target, String usedAt) {}

    AbstractImagesMojo(SettingsDecrypter decrypter) {
        super(decrypter);
    }

    @Override
    void checkSwitches() throws MojoExecutionException {
        super.checkSwitches();
        followProject();
        jib();
    }

    boolean followProject() throws MojoExecutionException {
        return flag("followProject", followProject);
    }

    boolean jib() throws MojoExecutionException {
        return flag("jib", jib);
    }

    /**
     * The images this run takes, in order and each once; with nothing configured, one item without
     * a source, so the library says what is missing in its own words; none when following a module
     * that uses no image.
     */
    List<Item> items(String source, String target, List<Image> images, List<String> map)
            throws MojoExecutionException, MojoFailureException {
        if (source != null && !source.isBlank()) {
            foundInModule(1);
            return List.of(new Item(source.strip(), blankToNull(target), null));
        }
        List<Item> out = new ArrayList<>();
        for (Image image : images == null ? List.<Image>of() : images) {
            out.add(new Item(image.source, blankToNull(image.target), null));
        }
        if (followProject()) {
            out.addAll(followed(map));
        }
        Set<String> seen = new LinkedHashSet<>();
        out.removeIf(i -> i.source() != null && !seen.add(i.source()));
        foundInModule(out.size());
        if (out.isEmpty() && inReactorRun()) {
            getLog().info("No image configured in " + basedir() + ": nothing to " + goal());
            return List.of();
        }
        // Following a module that uses no image is nothing to do (a parent POM, a library module).
        return out.isEmpty() && !followProject()
                ? List.of(new Item(null, blankToNull(target), null))
                : out;
    }

    /** Every image the module's build uses that is not private yet, with its mapped name. */
    private List<Item> followed(List<String> map)
            throws MojoExecutionException, MojoFailureException {
        List<ImageSource> configured =
                jib() ? ProjectImages.jibBaseImage(project, session).stream().toList() : List.of();
        List<String> files =
                ProjectImages.dockerfiles(split(Field.DOCKERFILES, dockerfiles), basedir());
        if (files.isEmpty() && configured.isEmpty()) {
            getLog().info(
                            "No Dockerfile ("
                                    + String.join(", ", ProjectImages.DEFAULT_DOCKERFILES)
                                    + ") and no Jib base image in "
                                    + basedir()
                                    + ": no image to follow");
            return List.of();
        }
        ImportPlan plan =
                ImageGate.create(settings(java.util.Map.of()))
                        .importPlan(
                                new ImportPlanSpec(
                                        files,
                                        configured,
                                        list(buildArgs),
                                        list(platforms),
                                        split(Field.MAP, map)));
        results.add(plan);
        if (plan.outcome() != Outcome.PASSED) {
            Outcomes.finish(
                    plan.outcome(),
                    "registry:"
                            + goal()
                            + " cannot follow every image the build uses:\n"
                            + plan.problems().stream()
                                    .map(m -> "  " + m.render(MavenVocabulary.INSTANCE))
                                    .collect(Collectors.joining("\n")),
                    plan.error().map(List::of).orElse(List.of()));
        }
        List<Item> again =
                plan.alreadyPrivate().isEmpty()
                        ? List.of()
                        : privateToTakeAgain(files, configured, map);
        Set<String> takenAgain = again.stream().map(Item::usedAt).collect(Collectors.toSet());
        plan.alreadyPrivate().stream()
                .filter(e -> !takenAgain.contains(e.file() + ":" + e.line()))
                .forEach(
                        e ->
                                getLog().info(
                                                e.source()
                                                        + " ("
                                                        + at(e.file(), e.line())
                                                        + ") is private already"));
        getLog().info(
                        "Following the build: "
                                + (plan.images().size() + again.size())
                                + " image(s) to "
                                + goal()
                                + (plan.alreadyPrivate().size() == again.size()
                                        ? ""
                                        : ", "
                                                + (plan.alreadyPrivate().size() - again.size())
                                                + " private already"));
        List<Item> out = new ArrayList<>();
        plan.images().stream()
                .map(e -> new Item(e.source(), e.target(), at(e.file(), e.line())))
                .forEach(out::add);
        out.addAll(again);
        return out;
    }

    /**
     * The images the build uses that are private already but must be taken again (each logged with
     * why); none unless a goal says otherwise (vet: those whose verdicts do not count).
     */
    List<Item> privateToTakeAgain(
            List<String> files, List<ImageSource> configured, List<String> map)
            throws MojoExecutionException, MojoFailureException {
        return List.of();
    }

    /** {@code file:line}, or the file alone without a line ({@code the command line}). */
    static String at(String file, int line) {
        return line > 0 ? file + ":" + line : file;
    }

    /**
     * The one image the command line names ({@code registry.source}, {@code registry.image}), or
     * null.
     */
    abstract String commandLineImage();

    @Override
    boolean imagesOnCommandLine() {
        String image = commandLineImage();
        return (image != null && !image.isBlank()) || super.imagesOnCommandLine();
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
