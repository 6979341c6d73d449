package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FixtureVulnerabilityDb;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/jenkins.md lists exactly each step's arguments, with the required ones marked. */
class JenkinsDocsTest {
    private static final Pattern ROW =
            Pattern.compile("(?m)^\\| ((?:`\\w+`(?:, )?)+) \\|([^|]*)\\|");

    @Test
    void everyStepsSectionListsItsArguments() throws IOException {
        String doc =
                Files.readString(FixtureVulnerabilityDb.projectRoot().resolve("docs/jenkins.md"));
        for (StepKind kind : StepKind.values()) {
            String heading = "### " + kind.functionName() + "\n";
            assertThat(doc).contains(heading);
            int start = doc.indexOf(heading);
            int end = doc.indexOf("\n#", start + heading.length());
            String section = doc.substring(start, end < 0 ? doc.length() : end);
            Set<String> documented = new LinkedHashSet<>();
            Set<String> required = new LinkedHashSet<>();
            Matcher m = ROW.matcher(section);
            while (m.find()) {
                for (String name : m.group(1).split(", ")) {
                    documented.add(name.replace("`", ""));
                    if (m.group(2).contains("required")) {
                        required.add(name.replace("`", ""));
                    }
                }
            }
            assertThat(documented)
                    .as(kind.functionName() + " in docs/jenkins.md")
                    .containsExactlyInAnyOrderElementsOf(
                            ParameterModel.of(kind).stream()
                                    .map(ParameterModel.Parameter::name)
                                    .toList());
            assertThat(required)
                    .as(kind.functionName() + "'s required arguments")
                    .containsExactlyInAnyOrderElementsOf(
                            ParameterModel.of(kind).stream()
                                    .filter(ParameterModel.Parameter::required)
                                    .map(ParameterModel.Parameter::name)
                                    .toList());
        }
    }
}
