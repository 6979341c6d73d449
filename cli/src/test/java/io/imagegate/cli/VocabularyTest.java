package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.Operation;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every input the library may name is spelled as a real option or parameter of some subcommand. */
class VocabularyTest {
    @Test
    void everyFieldIsSpelledAsARealOption() {
        CommandLine all = Main.commandLine();
        Set<String> options = new HashSet<>();
        for (CommandLine sub : all.getSubcommands().values()) {
            sub.getCommandSpec()
                    .options()
                    .forEach(o -> options.addAll(java.util.List.of(o.names())));
            sub.getCommandSpec().positionalParameters().forEach(p -> options.add(p.paramLabel()));
        }
        for (Field field : Field.values()) {
            if (CliVocabulary.ENVIRONMENT.containsKey(field)) {
                // secrets come from the environment only: no option may take them
                assertThat(CliVocabulary.INSTANCE.field(field))
                        .startsWith("the environment variable ");
                assertThat(options)
                        .as("no option for " + field)
                        .noneMatch(o -> o.contains("password"));
                continue;
            }
            assertThat(options)
                    .as("the CLI spelling of " + field)
                    .contains(CliVocabulary.INSTANCE.field(field));
        }
    }

    @Test
    void fixesAreCommandsToRun() {
        assertThat(
                        CliVocabulary.INSTANCE.fix(
                                Fix.of(Operation.VET)
                                        .with(Field.SOURCE, "alpine:3.20")
                                        .with(Field.TARGET, "r.example/a:3.20")))
                .isEqualTo("imagegate vet alpine:3.20 r.example/a:3.20");
        assertThat(
                        CliVocabulary.INSTANCE.fix(
                                Fix.of(Operation.REWRITE)
                                        .with(Field.MAP, "=r.example/m")
                                        .with(Field.PIN, "true")
                                        .with(Field.DOCKERFILES, "build/Dockerfile")))
                .isEqualTo("imagegate rewrite --map =r.example/m --pin build/Dockerfile");
        assertThat(
                        CliVocabulary.INSTANCE.fix(
                                Fix.of(Operation.VET).with(Field.TARGET, "r.example/a:1")))
                .isEqualTo("imagegate vet <source> r.example/a:1");
        assertThat(CliVocabulary.INSTANCE.fix(Fix.of(Operation.IMPORT).with(Field.SOURCE, "a b")))
                .isEqualTo("imagegate import 'a b'");
    }
}
