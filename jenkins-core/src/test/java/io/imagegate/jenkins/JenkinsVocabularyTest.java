package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.Operation;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every input the library may name is spelled as a real parameter of some step; fixes are step
 * calls to write.
 */
class JenkinsVocabularyTest {
    @Test
    void everyFieldIsSpelledAsARealParameter() {
        Set<String> parameters = new HashSet<>();
        for (StepKind kind : StepKind.values()) {
            ParameterModel.of(kind).forEach(p -> parameters.add(p.name()));
        }
        for (Field field : Field.values()) {
            if (java.util.EnumSet.of(
                            Field.SYNC_FILE,
                            Field.SHARD,
                            Field.SUMMARY_JSON,
                            Field.RESCAN_OLDER_THAN,
                            Field.VERIFY)
                    .contains(field)) {
                // sync and refs --verify are CLI-only: no step has these inputs
                assertThat(JenkinsVocabulary.spellings()).doesNotContainKey(field);
                continue;
            }
            assertThat(parameters)
                    .as("the Jenkins spelling of " + field)
                    .contains(JenkinsVocabulary.INSTANCE.field(field));
        }
    }

    @Test
    void fixesAreStepCallsAsTheSnippetGeneratorWritesThem() {
        JenkinsVocabulary v = JenkinsVocabulary.in(Path.of("/ws"));
        assertThat(
                        v.fix(
                                Fix.of(Operation.VET)
                                        .with(Field.SOURCE, "alpine:3.20")
                                        .with(Field.TARGET, "r.example/a:3.20")))
                .isEqualTo("imagegateVet(source: 'alpine:3.20', target: 'r.example/a:3.20')");
        assertThat(v.fix(Fix.of(Operation.VET).with(Field.TARGET, "r.example/a:1")))
                .isEqualTo("imagegateVet(source: '<source>', target: 'r.example/a:1')");
        assertThat(
                        v.fix(
                                Fix.of(Operation.REWRITE)
                                        .with(Field.MAP, "=r.example/m")
                                        .with(Field.PIN, "true")
                                        .with(Field.DOCKERFILES, "/ws/build/Dockerfile")))
                .isEqualTo(
                        "imagegateRewrite(map: ['=r.example/m'], files: ['build/Dockerfile'], pin: true)");
        assertThat(
                        v.fix(
                                Fix.of(Operation.IMPORT)
                                        .with(Field.SOURCE, "it's")
                                        .with(Field.PARALLEL, "4")))
                .isEqualTo("imagegateImport(source: 'it\\'s', parallel: 4)");
        assertThat(v.fix(Fix.of(Operation.SYNC).with(Field.SYNC_FILE, "sync.yaml")))
                .isEqualTo("imagegate sync sync-file=sync.yaml");
        assertThat(v.path("/elsewhere/Dockerfile")).isEqualTo("/elsewhere/Dockerfile");
    }
}
