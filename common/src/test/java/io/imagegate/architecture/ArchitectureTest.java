package io.imagegate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.imagegate.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The library's layering, checked on its compiled classes. */
class ArchitectureTest {
    private static final JavaClasses LIBRARY = ArchitectureRules.mainClasses("io.imagegate");

    @Test
    void scanningAndJudgingAreIndependent() {
        // Trivy produces findings; the policy judges findings. Neither knows the other.
        noClasses()
                .that()
                .resideInAPackage("io.imagegate.scan..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.imagegate.policy..")
                .check(LIBRARY);
        noClasses()
                .that()
                .resideInAPackage("io.imagegate.policy..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.imagegate.scan..")
                .check(LIBRARY);
    }

    @Test
    void noPackageDependsOnItselfInACircle() {
        slices().matching("io.imagegate.(*)..").should().beFreeOfCycles().check(LIBRARY);
    }

    @Test
    void theMessagesAreALeafAndTheApiIsTheTopFloor() {
        // Error kinds, messages and the input vocabulary are what every layer may raise, as
        // regclient's errs package.
        noClasses()
                .that()
                .resideInAPackage("io.imagegate.message..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.imagegate",
                        "io.imagegate.api..",
                        "io.imagegate.copy..",
                        "io.imagegate.dockerfile..",
                        "io.imagegate.finding..",
                        "io.imagegate.gate..",
                        "io.imagegate.mapping..",
                        "io.imagegate.oci..",
                        "io.imagegate.policy..",
                        "io.imagegate.reference..",
                        "io.imagegate.referrers..",
                        "io.imagegate.registry..",
                        "io.imagegate.report..",
                        "io.imagegate.scan..",
                        "io.imagegate.semver..",
                        "io.imagegate.trust..",
                        "io.imagegate.vetting..")
                .check(LIBRARY);
        // Only front ends (and the API itself) use the API: the engine never leans on it.
        noClasses()
                .that()
                .resideInAPackage("io.imagegate..")
                .and()
                .resideOutsideOfPackage("io.imagegate.api..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.imagegate.api..")
                .check(LIBRARY);
        // vetting is the engine's top: nothing below it reaches up to it.
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.imagegate.reference..",
                        "io.imagegate.oci..",
                        "io.imagegate.registry..",
                        "io.imagegate.copy..",
                        "io.imagegate.scan..",
                        "io.imagegate.policy..",
                        "io.imagegate.finding..",
                        "io.imagegate.dockerfile..",
                        "io.imagegate.mapping..",
                        "io.imagegate.report..",
                        "io.imagegate.gate..",
                        "io.imagegate.trust..",
                        "io.imagegate.referrers..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.imagegate.vetting..")
                .check(LIBRARY);
    }

    @Test
    void whatTheApiCallsSerializableIs() {
        // Specs and settings travel (a Jenkins controller hands them to an agent) and say so; an
        // Optional field would make
        // that claim false at run time (NotSerializableException), so no Serializable API type
        // holds one. Results do not
        // travel and make no such claim.
        // (A type may hold one when it travels as a plain replacement, through writeReplace, as
        // RegistrySettings does.)
        fields().that()
                .areDeclaredInClassesThat()
                .resideInAPackage("io.imagegate.api")
                .and()
                .areDeclaredInClassesThat()
                .areAssignableTo(java.io.Serializable.class)
                .and()
                .areDeclaredInClassesThat(
                        com.tngtech.archunit.base.DescribedPredicate.describe(
                                "travel as themselves",
                                (com.tngtech.archunit.core.domain.JavaClass c) ->
                                        c.tryGetMethod("writeReplace").isEmpty()))
                .and()
                .areNotStatic()
                .should()
                .notHaveRawType(java.util.Optional.class)
                .check(LIBRARY);
        noClasses()
                .that()
                .resideInAPackage("io.imagegate.api")
                .and()
                .areAssignableTo(io.imagegate.api.OperationResult.class)
                .should()
                .beAssignableTo(java.io.Serializable.class)
                .check(LIBRARY);
    }

    @Test
    void lowerLayersDoNotReachUp() {
        // reference -> oci -> registry -> referrers -> copy/scan/... -> vetting -> api, as in
        // go-containerregistry
        noClasses()
                .that()
                .resideInAnyPackage("io.imagegate.reference..", "io.imagegate.oci..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.imagegate.registry..",
                        "io.imagegate.referrers..",
                        "io.imagegate.copy..",
                        "io.imagegate.scan..",
                        "io.imagegate.vetting..",
                        "io.imagegate.gate..")
                .check(LIBRARY);
        noClasses()
                .that()
                .resideInAPackage("io.imagegate.registry..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.imagegate.referrers..",
                        "io.imagegate.copy..",
                        "io.imagegate.scan..",
                        "io.imagegate.policy..",
                        "io.imagegate.dockerfile..",
                        "io.imagegate.gate..",
                        "io.imagegate.vetting..",
                        "io.imagegate.report..")
                .check(LIBRARY);
        // referrers are generic OCI 1.1 handling that import and vet share: what a verdict means
        // stays in vetting
        noClasses()
                .that()
                .resideInAPackage("io.imagegate.referrers..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.imagegate.copy..",
                        "io.imagegate.scan..",
                        "io.imagegate.policy..",
                        "io.imagegate.gate..",
                        "io.imagegate.vetting..",
                        "io.imagegate.trust..")
                .check(LIBRARY);
    }

    @Test
    void credentialsKnowNothingOfTheTransport() {
        // As go-containerregistry's authn beside its transport: the transport asks registry.auth
        // for credentials and
        // sends them; where credentials come from (a chain, Docker's config, variables) never sees
        // a request or a token.
        noClasses()
                .that()
                .resideInAPackage("io.imagegate.registry.auth..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.imagegate.registry")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.hc..")
                .check(LIBRARY);
    }

    @Test
    void theLibraryReadsNothingOfTheMachineItself() {
        // Home, cache and working directories and the environment come in through the API's
        // Environment: on a Jenkins
        // agent they are the agent's, not the controller JVM's.
        String[] library = {
            "io.imagegate",
            "io.imagegate.api..",
            "io.imagegate.message..",
            "io.imagegate.copy..",
            "io.imagegate.dockerfile..",
            "io.imagegate.finding..",
            "io.imagegate.gate..",
            "io.imagegate.mapping..",
            "io.imagegate.oci..",
            "io.imagegate.policy..",
            "io.imagegate.reference..",
            "io.imagegate.referrers..",
            "io.imagegate.registry..",
            "io.imagegate.report..",
            "io.imagegate.scan..",
            "io.imagegate.trust..",
            "io.imagegate.vetting.."
        };
        noClasses()
                .that()
                .resideInAnyPackage(library)
                .should()
                .callMethod(System.class, "getProperty", String.class)
                .orShould()
                .callMethod(System.class, "getProperty", String.class, String.class)
                .orShould()
                .callMethod(System.class, "getenv")
                .orShould()
                .callMethod(System.class, "getenv", String.class)
                .because(
                        "the library never reads user.home, the environment or the working directory of the JVM itself")
                .check(LIBRARY);
    }
}
