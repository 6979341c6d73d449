package io.imagegate.jenkins;

import io.imagegate.api.Environment;
import io.imagegate.api.GateSpec;
import io.imagegate.api.ImageGate;
import io.imagegate.api.ImportSpec;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.RewriteSpec;
import io.imagegate.api.ScanSpec;
import io.imagegate.api.Settings;
import io.imagegate.api.Spec;
import io.imagegate.api.UpdateSpec;
import io.imagegate.api.VetSpec;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A step's work, where the workspace is: given the request, the workspace and the agent user's
 * home, it binds the parameters onto the API's spec and settings, calls the facade, prints what the
 * CLI would print (masked), and returns a plain {@link StepResult}. The plugin runs this inside
 * {@code FilePath.act} on the agent; the tests run it directly. Nothing here needs Jenkins.
 */
public final class AgentWork {
    private AgentWork() {}

    /**
     * Runs the step's operation, printing to {@code log} (the build listener's logger on the
     * agent), and flushes it before returning, whatever happens. Pipeline's listener on an agent
     * buffers its output and sends it every 1 to 10 seconds: not flushed, the verdict and report
     * lines could reach the build log after the step's own {@code WARNING:}/{@code ERROR:} line, or
     * in the next step's output.
     */
    public static StepResult run(
            AgentRequest request, Path workspace, String home, PrintStream log) {
        try {
            return run(request, workspace, home, log::println);
        } finally {
            log.flush();
        }
    }

    /**
     * Runs the step's operation.
     *
     * @param request what to do, with the credentials' values and the build's environment
     * @param workspace the workspace: relative paths (Dockerfiles, policy, reports) resolve against
     *     it
     * @param home the home directory of the user the agent runs as (Docker's config, Trivy's
     *     default cache)
     * @param console where lines for the build log go; called from several threads, one line at a
     *     time
     */
    public static StepResult run(
            AgentRequest request, Path workspace, String home, Consumer<String> console) {
        StepParameters parameters = request.parameters();
        SecretMasker masker = request.credentials().masker();
        Object lock = new Object();
        Consumer<String> masked =
                line -> {
                    synchronized (lock) {
                        console.accept(masker.mask(line));
                    }
                };
        Results results = new Results(parameters, masker, workspace, masked);
        try {
            Environment environment =
                    Environment.of(
                            parameters.variables(request.variables(), request.credentials()),
                            home,
                            workspace.toAbsolutePath().toString(),
                            tempDirectory(request.tempDirectory()));
            // decided again where the work runs, from the same parameters: a role's credentials
            // apply only on its registry
            StepParameters.Bindings bindings = parameters.bindings();
            bindings.notes()
                    .forEach(note -> masked.accept(note.render(JenkinsVocabulary.INSTANCE)));
            Spec spec = parameters.spec(request.credentials(), bindings);
            Settings settings = parameters.settings(environment, request.credentials());
            ImageGate api = ImageGate.create(settings);
            ProgressListener progress = masked::accept;
            return switch (parameters.kind()) {
                case IMPORT -> results.of(api.importImage((ImportSpec) spec, progress));
                case SCAN -> results.of(api.scan((ScanSpec) spec, progress));
                case VET -> results.of(api.vet((VetSpec) spec, progress));
                case REWRITE -> results.of(api.rewrite((RewriteSpec) spec));
                case GATE -> results.of(api.gate((GateSpec) spec));
                case UPDATE ->
                        results.of(api.update((UpdateSpec) spec, JenkinsVocabulary.in(workspace)));
            };
        } catch (ImageGateException e) {
            return results.error(e, "");
        } catch (RuntimeException e) {
            // the facade reports its own failures as results: anything else is a bug, reported as
            // one
            return results.error(
                    ImageGateException.internal(
                                    "jenkins.internal",
                                    "internal error ({0}); this is a bug in imagegate, please"
                                            + " report it with the step that caused it",
                                    e.getClass().getName())
                            .withCause(e),
                    "");
        }
    }

    /**
     * The temporary directory, created if missing (Jenkins' {@code @tmp} directory does not exist
     * until used).
     */
    private static String tempDirectory(String requested) {
        Path dir = Path.of(requested == null ? System.getProperty("java.io.tmpdir") : requested);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "jenkins.temp-dir",
                    "cannot create the temporary directory {0}: {1}",
                    dir,
                    String.valueOf(e.getMessage()));
        }
        return dir.toAbsolutePath().toString();
    }
}
