package io.imagegate.jenkins;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.imagegate.testing.ArchitectureRules;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Jenkins steps' core is binding code: it reaches the library through io.imagegate.api alone.
 */
class JenkinsCoreArchitectureTest {
    @Test
    void theStepsUseOnlyTheApi() {
        // this module's main classes only (target/classes): the rule needs no other class imported,
        // and scanning the whole
        // class path for the package costs seconds
        ArchitectureRules.frontEndUsesOnlyTheApi("io.imagegate.jenkins")
                .check(new ClassFileImporter().importPath(Path.of("target/classes")));
    }
}
