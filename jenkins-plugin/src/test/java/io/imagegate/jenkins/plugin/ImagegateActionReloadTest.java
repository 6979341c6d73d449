package io.imagegate.jenkins.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.imagegate.jenkins.SummaryRow;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.report.ReportName;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;

import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

import java.util.List;

/**
 * The build action survives a restart: XStream writes it into build.xml and reads it back (a record
 * would not come back), and with it the build's badge.
 */
class ImagegateActionReloadTest {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();
    @RegisterExtension final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    static TestImages.Image clean;

    @BeforeAll
    static void images() {
        clean =
                TestImages.alpine(
                        Platform.parse("linux/amd64"),
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        new ImagePusher(registry).push("library/alpine", "3.20", clean);
    }

    @Test
    void theSummaryIsReadBackAfterARestart() throws Throwable {
        String image = registry.hostPort() + "/library/alpine:3.20";
        sessions.then(
                r -> {
                    WorkflowJob job = r.createProject(WorkflowJob.class, "p");
                    job.setDefinition(
                            new CpsFlowDefinition(
                                    "node('"
                                            + r.createOnlineSlave().getNodeName()
                                            + "') {\n"
                                            + "  imagegateScan(image: '"
                                            + image
                                            + "', reportDir: 'reports', cacheDir: '"
                                            + FixtureVulnerabilityDb.cacheDir()
                                            + "',"
                                            + " skipDbUpdate: true, skipJavaDbUpdate: true, offlineScan: true)\n"
                                            + "}\n",
                                    true));
                    r.buildAndAssertSuccess(job);
                });
        sessions.then(
                r -> {
                    WorkflowRun run =
                            r.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
                    ImagegateAction action = run.getAction(ImagegateAction.class);
                    assertNotNull(action, "the action is read back from build.xml");
                    assertSame(run, action.getRun(), "onLoad gave the action its build");
                    SummaryRow row = action.getRows().get(0);
                    assertEquals(
                            List.of(
                                    "imagegateScan",
                                    image,
                                    clean.digest().toString(),
                                    "PASS",
                                    "SUCCESS"),
                            row.getCells().subList(0, 5));
                    String stem =
                            "reports/"
                                    + ReportName.stem(
                                            ImageReference.parse(image).withDigest(clean.digest()));
                    assertEquals(
                            List.of(
                                    stem + ".json",
                                    stem + ".sarif",
                                    stem + "-junit.xml",
                                    stem + ".html",
                                    stem + ".trivy.json"),
                            row.getReports());
                    assertEquals("1 step: 1 PASS", action.getHeadline());
                    // the badge beside the build in its history (Run.getBadgeActions), computed
                    // from the rows read back
                    assertEquals(List.of(action), run.getBadgeActions());
                    assertEquals(
                            "imagegate: PASS (1 step: 1 PASS)", action.getBadge().getTooltip());
                });
    }
}
