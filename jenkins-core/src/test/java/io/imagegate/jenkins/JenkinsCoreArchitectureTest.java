package io.imagegate.jenkins;

import io.imagegate.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The Jenkins steps' core is binding code: it reaches the library through io.imagegate.api alone. */
class JenkinsCoreArchitectureTest {
    @Test
    void theStepsUseOnlyTheApi() {
        ArchitectureRules.frontEndUsesOnlyTheApi("io.imagegate.jenkins").check(ArchitectureRules.mainClasses("io.imagegate.jenkins"));
    }
}
