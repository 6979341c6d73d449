package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.testing.FacadeContract;
import io.imagegate.testing.FrontEnd;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The facade contract through the Jenkins steps' agent-side work: step parameters in (as the
 * plugin's setters set them), the request serialized as it crosses to the agent, {@link AgentWork}
 * there, a {@link StepResult} back.
 */
class JenkinsCoreContractTest extends FacadeContract {
    @Override
    protected FrontEnd frontEnd() {
        return new StepsFrontEnd();
    }

    static final class StepsFrontEnd implements FrontEnd {
        private static Observed run(StepParameters parameters, Path workspace) {
            Path home = io.imagegate.testing.TempDirs.create("imagegate-jenkins-home-");
            AgentRequest request =
                    Serialization.roundTrip(
                            new AgentRequest(
                                    parameters,
                                    CredentialValues.none(),
                                    Map.of("PATH", System.getenv("PATH")),
                                    null));
            StepResult result =
                    Serialization.roundTrip(
                            AgentWork.run(request, workspace, home.toString(), line -> {}));
            // the result follows the one table, and says what failed in one message
            assertThat(result.result()).isEqualTo(BuildResult.of(result.outcome(), false));
            assertThat(result.values()).containsEntry("outcome", result.outcome().name());
            return new Observed(
                    result.outcome(),
                    result.errorKind().map(ErrorKind::valueOf),
                    result.errorField().map(Field::valueOf));
        }

        private static void offline(ScanningParameters p, ScanSetup setup) {
            p.setCacheDir(setup.cacheDir().toString());
            p.setSkipDbUpdate(true);
            p.setSkipJavaDbUpdate(true);
            p.setOfflineScan(true);
        }

        @Override
        public Observed importImage(String source, String target) {
            ImportParameters p = new ImportParameters(source);
            p.setTarget(target);
            return run(p, Path.of("."));
        }

        @Override
        public Observed scan(String image, Path policy, ScanSetup setup) {
            ScanParameters p = new ScanParameters(image);
            offline(p, setup);
            p.setPolicy(policy == null ? null : policy.toString());
            return run(p, Path.of("."));
        }

        @Override
        public Observed vet(String source, String target, Path policy, ScanSetup setup) {
            VetParameters p = new VetParameters(source);
            p.setTarget(target);
            offline(p, setup);
            p.setPolicy(policy == null ? null : policy.toString());
            return run(p, Path.of("."));
        }

        @Override
        public Observed gate(
                Path workDir, String dockerfile, String trusted, boolean requireVetted) {
            GateParameters p = new GateParameters(List.of(dockerfile), List.of(trusted));
            p.setRequireVetted(requireVetted);
            return run(p, workDir);
        }
    }
}
