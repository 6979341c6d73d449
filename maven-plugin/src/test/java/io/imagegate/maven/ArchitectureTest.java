package io.imagegate.maven;

import io.imagegate.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The plugin is binding code only: it reaches the library through io.imagegate.api alone. */
class ArchitectureTest {
    @Test
    void thePluginUsesOnlyTheApi() {
        ArchitectureRules.frontEndUsesOnlyTheApi("io.imagegate.maven")
                .check(ArchitectureRules.mainClasses("io.imagegate"));
    }
}
