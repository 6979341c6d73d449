package io.imagegate.cli;

import io.imagegate.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The CLI is binding code only: it reaches the library through io.imagegate.api alone. */
class CliArchitectureTest {
    @Test
    void theCliUsesOnlyTheApi() {
        ArchitectureRules.frontEndUsesOnlyTheApi("io.imagegate.cli")
                .check(ArchitectureRules.mainClasses("io.imagegate"));
    }
}
