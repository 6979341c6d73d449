package io.imagegate.jenkins.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hudson.model.AbstractProject;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;

import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.kohsuke.stapler.DataBoundConstructor;

import java.util.List;

/**
 * The snippet generator and the steps reference for every step: the reference's documentation
 * generates from each step's model (workflow-cps' SnippetizerTester.assertDocGeneration), a
 * configured step turns into the snippet a Jenkinsfile writes and back (assertRoundTrip), and the
 * step's config.jelly shown in a real form and submitted binds back to the same step, list
 * parameters and failOnError: false included (as workflow-step-api's StepConfigTester does it).
 * Runs only with -Pjenkins.
 */
@WithJenkins
class ImagegateFormsTest {
    private static final List<Class<? extends Step>> STEPS =
            List.of(
                    ImportStep.class,
                    ScanStep.class,
                    VetStep.class,
                    RewriteStep.class,
                    GateStep.class);

    @Test
    void theStepsReferenceDocumentsEveryStep(JenkinsRule r) throws Exception {
        for (Class<? extends Step> step : STEPS) {
            SnippetizerTester.assertDocGeneration(step);
        }
    }

    // ---------------------------------------------------------------- snippets, one step each

    @Test
    void importRoundTrips(JenkinsRule r) throws Exception {
        ImportStep step = new ImportStep("alpine:3.20");
        step.setMap(List.of("=registry.example.com/mirror"));
        step.setChunkSize("64m");
        step.setFailOnError(false);
        new SnippetizerTester(r)
                .assertRoundTrip(
                        step,
                        "imagegateImport chunkSize: '64m', failOnError: false, map: ['=registry.example.com/mirror'], source: 'alpine:3.20'");
    }

    @Test
    void scanRoundTrips(JenkinsRule r) throws Exception {
        ScanStep step = new ScanStep("registry.example.com/base/alpine:3.20");
        step.setSeverities(List.of("HIGH", "CRITICAL"));
        step.setTrivyServerCredentialsId("trivy-token");
        step.setUnstable(true);
        new SnippetizerTester(r)
                .assertRoundTrip(
                        step,
                        "imagegateScan image: 'registry.example.com/base/alpine:3.20',"
                                + " severities: ['HIGH', 'CRITICAL'], trivyServerCredentialsId: 'trivy-token', unstable: true");
    }

    @Test
    void vetRoundTrips(JenkinsRule r) throws Exception {
        VetStep step = new VetStep("alpine:3.20");
        step.setTarget("registry.example.com/base/alpine:3.20");
        step.setSourceCredentialsId("docker.io=dockerhub");
        step.setSigningKeyPasswordCredentialsId("key-password");
        step.setSigningKeyCredentialsId("key");
        step.setFailOnError(false);
        new SnippetizerTester(r)
                .assertRoundTrip(
                        step,
                        "imagegateVet failOnError: false, signingKeyCredentialsId: 'key',"
                                + " signingKeyPasswordCredentialsId: 'key-password', source: 'alpine:3.20', sourceCredentialsId: 'docker.io=dockerhub',"
                                + " target: 'registry.example.com/base/alpine:3.20'");
    }

    @Test
    void rewriteRoundTrips(JenkinsRule r) throws Exception {
        RewriteStep step =
                new RewriteStep(
                        List.of("Dockerfile", "app/Dockerfile"),
                        List.of("=registry.example.com/mirror"));
        step.setCheck(true);
        step.setPinPlatform("linux/amd64");
        new SnippetizerTester(r)
                .assertRoundTrip(
                        step,
                        "imagegateRewrite check: true, files: ['Dockerfile', 'app/Dockerfile'],"
                                + " map: ['=registry.example.com/mirror'], pinPlatform: 'linux/amd64'");
    }

    @Test
    void gateRoundTrips(JenkinsRule r) throws Exception {
        GateStep step =
                new GateStep(List.of("**/Dockerfile"), List.of("registry.example.com/base"));
        step.setBuildArgs(List.of("BASE=alpine:3.20"));
        step.setRequireDigest(true);
        step.setInsecureRegistries(List.of("localhost:5000"));
        new SnippetizerTester(r)
                .assertRoundTrip(
                        step,
                        "imagegateGate buildArgs: ['BASE=alpine:3.20'], files: ['**/Dockerfile'],"
                                + " insecureRegistries: ['localhost:5000'], requireDigest: true, trusted: ['registry.example.com/base']");
    }

    // ---------------------------------------------------------------- the forms

    /**
     * Every step's form, shown with a configured step and submitted as it is, gives the same step
     * back.
     */
    @Test
    void everyStepsFormBindsBackToTheSameStep(JenkinsRule r) throws Exception {
        ImportStep importStep = new ImportStep("alpine:3.20");
        importStep.setTarget("registry.example.com/base/alpine:3.20");
        importStep.setPlatforms(List.of("linux/amd64", "linux/arm64"));
        importStep.setParallel(3);
        importStep.setFailOnError(false);
        importStep.setTargetCredentialsId("registry.example.com=registry-push");

        ScanStep scan = new ScanStep("alpine:3.20");
        scan.setSeverities(List.of("HIGH", "CRITICAL"));
        scan.setSkipDbUpdate(true);
        scan.setTimeout("10m");

        VetStep vet = new VetStep("alpine:3.20");
        vet.setMap(List.of("=registry.example.com/base"));
        vet.setRegistryCredentials(
                List.of("registry.example.com=registry-push", "mirror.example.com=mirror"));
        vet.setSigningKeyCredentialsId("no-such-key");
        vet.setUnstable(true);

        RewriteStep rewrite =
                new RewriteStep(
                        List.of("Dockerfile", "app/Dockerfile"),
                        List.of("=registry.example.com/mirror"));
        rewrite.setPin(true);

        GateStep gate =
                new GateStep(List.of("**/Dockerfile"), List.of("registry.example.com/base"));
        gate.setRequireVetted(true);
        gate.setVerifyKeys(List.of("keys/org.pub", "keys/next.pub"));

        for (Step before :
                List.of(importStep, scan, vet, rewrite, gate, new ScanStep("alpine:3.20"))) {
            StepBuilder after = r.configRoundtrip(new StepBuilder(before));
            assertEquals(before.getClass(), after.step.getClass());
            r.assertEqualDataBoundBeans(before, after.step);
        }
    }

    /**
     * A freestyle build step holding an imagegate step, so that the step's config.jelly renders
     * inside a real form.
     */
    public static final class StepBuilder extends Builder {
        public final Step step;

        @DataBoundConstructor
        public StepBuilder(Step step) {
            this.step = step;
        }

        public Step getStep() {
            return step;
        }

        @TestExtension
        public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
            @SuppressWarnings("rawtypes")
            @Override
            public boolean isApplicable(Class<? extends AbstractProject> jobType) {
                return true;
            }

            @Override
            public String getDisplayName() {
                return "an imagegate step";
            }
        }
    }
}
