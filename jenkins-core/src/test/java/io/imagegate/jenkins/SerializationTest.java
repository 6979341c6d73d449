package io.imagegate.jenkins;

import io.imagegate.api.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What crosses between controller and agent, and what XStream writes into {@code build.xml}, is only this module's
 * plain classes and JDK values Jenkins' class filter accepts (jenkins-2.541.3,
 * {@code core/src/main/resources/jenkins/security/whitelisted-classes.txt}; enums are always accepted). The module's
 * jar carries {@code Jenkins-ClassFilter-Whitelisted: true} for its own classes.
 */
class SerializationTest {
    /** JDK classes named in Jenkins' whitelisted-classes.txt that these values use. */
    private static final Set<String> JDK_WHITELISTED = Set.of("java.lang.String", "java.lang.Boolean", "java.lang.Integer", "java.lang.Long",
            "java.lang.Number", "java.lang.Enum", "java.util.ArrayList", "java.util.LinkedHashMap", "java.util.HashMap", "java.util.TreeMap",
            "java.util.CollSer");

    private static void assertOnlyAcceptedClasses(Object value) {
        for (Class<?> c : Serialization.classesIn(value)) {
            boolean ours = c.getName().startsWith("io.imagegate.jenkins.");
            assertThat(ours || c.isEnum() || c.isArray() || JDK_WHITELISTED.contains(c.getName())).as(c.getName() + " in " + value).isTrue();
            assertThat(c.isRecord()).as(c.getName() + " is a record").isFalse();
        }
    }

    @Test
    void theRequestAndItsParametersCrossWithTheirValues() {
        VetParameters p = new VetParameters("alpine:3.20");
        p.setTarget("r.example/base/alpine:3.20");
        p.setPlatforms(List.of("linux/amd64"));
        p.setSourceCredentialsId("docker.io=hub");
        p.setUnstable(true);
        AgentRequest request = new AgentRequest(p, CredentialValues.of(List.of(CredentialValue.usernamePassword("hub", "u", "p4ss", true))),
                Map.of("PATH", "/usr/bin"), "/ws@tmp");
        assertOnlyAcceptedClasses(request);

        AgentRequest back = Serialization.roundTrip(request);
        VetParameters q = (VetParameters) back.parameters();
        assertThat(q.getTarget()).isEqualTo("r.example/base/alpine:3.20");
        assertThat(q.getPlatforms()).containsExactly("linux/amd64");
        assertThat(q.isUnstable()).isTrue();
        assertThat(back.credentials().registryRef("hub")).isEqualTo(request.credentials().registryRef("hub"));
        assertThat(back.variables()).containsEntry("PATH", "/usr/bin");
        assertThat(back.tempDirectory()).isEqualTo("/ws@tmp");
    }

    @Test
    void theResultAndTheSummaryComeBackAsPlainValues() {
        Results results = new Results(new ScanParameters("alpine"), SecretMasker.none(), java.nio.file.Path.of("/ws"), line -> { });
        StepResult result = results.error(io.imagegate.message.ImageGateException.notFound("x", "no such image {0}", "alpine"), "alpine");
        assertOnlyAcceptedClasses(result);
        StepResult back = Serialization.roundTrip(result);
        assertThat(back.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(back.message()).isEqualTo("imagegateScan: no such image alpine");
        assertThat(back.values()).containsEntry("errorKind", "NOT_FOUND");

        BuildSummary summary = new BuildSummary();
        summary.add(back.row());
        summary.add(new SummaryRow("imagegateScan", "alpine", "sha256:1", "PASS", "SUCCESS", "CRITICAL 0", List.of("r/imagegate-scan.html")));
        assertOnlyAcceptedClasses(summary);
        assertThat(Serialization.roundTrip(summary).getRows()).extracting(SummaryRow::toString)
                .containsExactly("imagegateScan | alpine |  | ERROR | FAILURE | no such image alpine",
                        "imagegateScan | alpine | sha256:1 | PASS | SUCCESS | CRITICAL 0");
        assertThat(summary.getHeadline()).isEqualTo("2 steps: 1 PASS, 1 ERROR");
    }
}
