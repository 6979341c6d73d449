package io.imagegate.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Architecture rules every front end's tests apply to itself: it binds to the API and nothing else
 * of the library.
 */
public final class ArchitectureRules {
    private ArchitectureRules() {}

    /** The main (not test) classes under {@code rootPackage}, with the library's. */
    public static JavaClasses mainClasses(String... packages) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(packages);
    }

    /**
     * A front end's classes use only {@code io.imagegate.api} and the messages it renders ({@code
     * io.imagegate.message}): any other package of the library is an implementation detail it must
     * not reach past the API to.
     */
    public static ArchRule frontEndUsesOnlyTheApi(String frontEndPackage) {
        return noClasses()
                .that()
                .resideInAPackage(frontEndPackage + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.imagegate",
                        "io.imagegate.copy..",
                        "io.imagegate.dockerfile..",
                        "io.imagegate.finding..",
                        "io.imagegate.gate..",
                        "io.imagegate.mapping..",
                        "io.imagegate.oci..",
                        "io.imagegate.policy..",
                        "io.imagegate.reference..",
                        "io.imagegate.registry..",
                        "io.imagegate.report..",
                        "io.imagegate.scan..",
                        "io.imagegate.semver..",
                        "io.imagegate.trust..",
                        "io.imagegate.vetting..")
                .because(
                        "a front end binds its inputs into the API's specs and maps its results; everything else is the library's");
    }
}
