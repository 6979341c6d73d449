package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.OperationResult;
import io.imagegate.api.Outcome;
import io.imagegate.message.ErrorKind;
import io.imagegate.testing.FacadeContract;
import io.imagegate.testing.FrontEnd;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The facade contract through the Maven goals: each scenario configures a goal as Maven would (its
 * parameters, a real session and project), runs it, and checks that the exception Maven sees
 * follows the one outcome table.
 */
class MavenContractTest extends FacadeContract {
    @Override
    protected FrontEnd frontEnd() {
        return new MavenFrontEnd();
    }

    static final class MavenFrontEnd implements FrontEnd {
        /** No test here has servers or encrypted proxies: a decrypter that is called is a bug. */
        static final SettingsDecrypter NO_DECRYPTION =
                request -> {
                    throw new AssertionError("nothing to decrypt");
                };

        static MavenSession session(Path directory) {
            DefaultMavenExecutionRequest request = new DefaultMavenExecutionRequest();
            request.setBaseDirectory(directory.toFile());
            @SuppressWarnings("deprecation")
            MavenSession session =
                    new MavenSession(null, null, request, new DefaultMavenExecutionResult());
            return session;
        }

        static MavenProject project(Path directory) {
            MavenProject project = new MavenProject();
            project.setFile(new File(directory.toFile(), "pom.xml"));
            return project;
        }

        /**
         * Runs the goal; the exception it throws (if any) must be the one the outcome table gives
         * its result.
         */
        static Observed run(AbstractRegistryMojo mojo, Path directory) {
            mojo.session = session(directory);
            mojo.project = project(directory);
            Class<? extends Exception> thrown = null;
            try {
                mojo.execute();
            } catch (MojoFailureException e) {
                thrown = MojoFailureException.class;
            } catch (MojoExecutionException e) {
                thrown = MojoExecutionException.class;
                assertThat(e.getCause()).as("only a bug keeps its cause").isNull();
            }
            Optional<OperationResult> last =
                    mojo.results.isEmpty()
                            ? Optional.empty()
                            : Optional.of(mojo.results.get(mojo.results.size() - 1));
            if (last.isEmpty()) {
                assertThat(thrown).isEqualTo(MojoExecutionException.class);
                return new Observed(Outcome.ERROR, Optional.of(ErrorKind.USAGE), Optional.empty());
            }
            Class<? extends Exception> expected =
                    switch (last.get().outcome()) {
                        case PASSED -> null;
                        case POLICY_FAILED, CHANGES_NEEDED -> MojoFailureException.class;
                        case ERROR -> MojoExecutionException.class;
                    };
            assertThat(thrown).as(String.valueOf(last.get())).isEqualTo(expected);
            return Observed.of(last.get());
        }

        @Override
        public Observed importImage(String source, String target) {
            ImportMojo mojo = new ImportMojo(NO_DECRYPTION);
            mojo.source = source;
            mojo.target = target;
            return run(mojo, Path.of("").toAbsolutePath());
        }

        @Override
        public Observed scan(String image, Path policy, ScanSetup setup) {
            ScanMojo mojo = new ScanMojo(NO_DECRYPTION);
            mojo.image = image;
            mojo.policy = policy == null ? null : policy.toFile();
            mojo.cacheDir = setup.cacheDir().toFile();
            mojo.skipDbUpdate = "true";
            mojo.skipJavaDbUpdate = "true";
            mojo.offlineScan = "true";
            mojo.reportDirectory = null;
            return run(mojo, Path.of("target/contract").toAbsolutePath());
        }

        @Override
        public Observed vet(String source, String target, Path policy, ScanSetup setup) {
            VetMojo mojo = new VetMojo(NO_DECRYPTION);
            mojo.source = source;
            mojo.target = target;
            mojo.policy = policy == null ? null : policy.toFile();
            mojo.cacheDir = setup.cacheDir().toFile();
            mojo.skipDbUpdate = "true";
            mojo.skipJavaDbUpdate = "true";
            mojo.offlineScan = "true";
            return run(mojo, Path.of("target/contract").toAbsolutePath());
        }

        @Override
        public Observed gate(
                Path workDir, String dockerfile, String trusted, boolean requireVetted) {
            GateMojo mojo = new GateMojo(NO_DECRYPTION);
            mojo.dockerfiles = List.of(dockerfile);
            mojo.trusted = List.of(trusted);
            mojo.requireVetted = String.valueOf(requireVetted);
            return run(mojo, workDir);
        }
    }
}
