package io.imagegate.jenkins.library;

import static org.assertj.core.api.Assertions.assertThat;

import com.lesfurets.jenkins.unit.BasePipelineTest;
import groovy.lang.Closure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * examples/jenkins/sharded/Jenkinsfile: one sync file over N agents in {@code parallel}, the
 * summaries merged by {@code imagegate sync-report}. {@code parallel}, {@code retry} and {@code
 * catchError} behave as Jenkins' do: every branch runs even when one fails, {@code retry} runs its
 * body again when a step in it fails (that failure does not set the build's result), {@code
 * catchError} records the failure and goes on.
 */
class ShardedJenkinsfileTest extends BasePipelineTest {
    Pipeline.Log log;
    final List<String> stashed = new ArrayList<>();
    final List<String> unstashed = new ArrayList<>();

    @BeforeEach
    void setUpPipeline() throws Exception {
        setScriptRoots("../examples/jenkins/sharded");
        setScriptExtension("");
        super.setUp();
        log =
                Pipeline.install(
                        this,
                        Map.of(
                                "SHARDS",
                                "3",
                                "REGISTRY",
                                "registry.example.com",
                                "REGISTRY_CREDENTIALS_ID",
                                "registry-push",
                                "TRIVY_SERVER",
                                "http://trivy.example.com:4954"),
                        false);
        log.store.put("registry-push", List.of("pusher", "push-Secret-1"));
        getBinding().setVariable("scm", Map.of());
        mock("node", List.of(Object.class, Closure.class), a -> ((Closure<?>) a[1]).call());
        mock("checkout", List.of(Map.class), a -> null);
        mock(
                "stash",
                List.of(Map.class),
                a -> stashed.add(String.valueOf(((Map<?, ?>) a[0]).get("name"))));
        mock("unstash", List.of(Object.class), a -> unstashed.add(String.valueOf(a[0])));
        mock("parallel", List.of(Map.class), a -> parallel((Map<?, ?>) a[0]));
        mock(
                "retry",
                List.of(Integer.class, Closure.class),
                a -> retry((Integer) a[0], (Closure<?>) a[1]));
        mock(
                "catchError",
                List.of(Map.class, Closure.class),
                a -> catchError((Map<?, ?>) a[0], (Closure<?>) a[1]));
    }

    @SuppressWarnings("rawtypes")
    private void mock(String name, List<Class> parameters, Function<Object[], Object> body) {
        getHelper().registerAllowedMethod(name, parameters, new Mock(body));
    }

    /** A step as a closure of one or two arguments. */
    static final class Mock extends Closure<Object> {
        private final transient Function<Object[], Object> body;

        Mock(Function<Object[], Object> body) {
            super(null);
            this.body = body;
        }

        public Object doCall(Object a) {
            return body.apply(new Object[] {a});
        }

        public Object doCall(Object a, Object b) {
            return body.apply(new Object[] {a, b});
        }
    }

    /** Every branch runs; the first failure is thrown once all have ended. */
    private Object parallel(Map<?, ?> branches) {
        RuntimeException first = null;
        for (Object branch : branches.values()) {
            try {
                ((Closure<?>) branch).call();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
        return null;
    }

    /**
     * The body again while it fails, up to {@code count} times. In Jenkins a failing step sets no
     * result by itself (the failure that escapes the build does): one that a retry recovers from
     * leaves the result as it was.
     */
    private Object retry(Integer count, Closure<?> body) {
        for (int attempt = 1; ; attempt++) {
            Object before = log.currentBuild.get("result");
            try {
                return body.call();
            } catch (Pipeline.PipelineError e) {
                if (attempt >= count) {
                    throw e;
                }
                log.currentBuild.put("result", before);
                log.console.add("Retrying");
            }
        }
    }

    /** A failure inside is recorded as the build's result and the pipeline goes on. */
    private Object catchError(Map<?, ?> options, Closure<?> body) {
        try {
            return body.call();
        } catch (Pipeline.PipelineError e) {
            log.currentBuild.put("result", options.get("buildResult"));
            return null;
        }
    }

    private static String sync(int index) {
        return "imagegate sync --json --shard "
                + index
                + "/3 --summary-json summary-"
                + index
                + ".json --trivy-server http://trivy.example.com:4954 --creds-env"
                + " registry.example.com=IMAGEGATE_REGISTRY_0_USER:IMAGEGATE_REGISTRY_0_PASSWORD -- sync.yaml";
    }

    private static final String REPORT =
            "imagegate sync-report summary-0.json summary-1.json summary-2.json";

    /** Exit codes by command: a list for a command run more than once, in order. */
    private static BiFunction<String, Map<String, String>, Integer> exits(
            Map<String, List<Integer>> codes) {
        Map<String, Integer> calls = new LinkedHashMap<>();
        return (command, env) -> {
            List<Integer> list = codes.getOrDefault(command, List.of(0));
            int n = calls.merge(command, 1, Integer::sum);
            return list.get(Math.min(n, list.size()) - 1);
        };
    }

    @Test
    void everyAgentRunsItsShardAndTheReportMergesThem() {
        Pipeline.run(this, "Jenkinsfile");
        assertThat(log.commands).containsExactly(sync(0), sync(1), sync(2), REPORT);
        assertThat(stashed).containsExactly("summary-0", "summary-1", "summary-2");
        assertThat(unstashed).containsExactly("summary-0", "summary-1", "summary-2");
        // credentials only in the environment, bound to their registry
        assertThat(log.commandEnvironments.get(0))
                .containsEntry("IMAGEGATE_REGISTRY_0_PASSWORD", "push-Secret-1");
        assertThat(String.join("\n", log.commands)).doesNotContain("push-Secret-1");
        assertThat(Pipeline.result()).isEqualTo("SUCCESS");
    }

    @Test
    void aPolicyFailureIsNotRetriedAndTheReportFailsTheBuild() {
        log.sh = exits(Map.of(sync(1), List.of(1), REPORT, List.of(1)));
        Pipeline.run(this, "Jenkinsfile");
        // shard 1 ran once; the others went on, and the report ran over all three summaries
        assertThat(log.commands).containsExactly(sync(0), sync(1), sync(2), REPORT);
        assertThat(log.text())
                .contains("WARNING: imagegateSync: the policy said no")
                .contains("ERROR: imagegate sync-report: an image failed its policy");
        assertThat(Pipeline.result()).isEqualTo("FAILURE");
    }

    @Test
    void anErrorIsTriedOnceMore() {
        log.sh = exits(Map.of(sync(2), List.of(2, 0)));
        Pipeline.run(this, "Jenkinsfile");
        assertThat(log.commands).containsExactly(sync(0), sync(1), sync(2), sync(2), REPORT);
        assertThat(Pipeline.result()).isEqualTo("SUCCESS");
    }

    @Test
    void aShardThatKeepsFailingLeavesTheOthersAndTheReportFailsTheBuild() {
        log.sh = exits(Map.of(sync(0), List.of(2), REPORT, List.of(2)));
        Pipeline.run(this, "Jenkinsfile");
        assertThat(log.commands).containsExactly(sync(0), sync(0), sync(1), sync(2), REPORT);
        assertThat(log.text())
                .contains("ERROR: imagegateSync: the registry did not answer")
                .contains("ERROR: imagegate sync-report: the sync did not complete (exit code 2");
        assertThat(Pipeline.result()).isEqualTo("FAILURE");
    }
}
