package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Vocabulary;
import org.junit.jupiter.api.Test;

class InputsTest {
    @Test
    void theRegistryOfAReferenceIsHowCredentialsAreKeyed() {
        assertThat(Inputs.registry(Field.IMAGE, "alpine:3.20")).isEqualTo("docker.io");
        assertThat(Inputs.registry(Field.IMAGE, "index.docker.io/library/alpine"))
                .isEqualTo("docker.io");
        assertThat(Inputs.registry(Field.IMAGE, "localhost:5000/a/b:1"))
                .isEqualTo("localhost:5000");
        assertThat(
                        Inputs.registry(
                                Field.IMAGE,
                                "Registry.Example.com/base/jre@sha256:" + "a".repeat(64)))
                .isEqualTo("registry.example.com");
        ImageGateException e =
                catchThrowableOfType(
                        ImageGateException.class, () -> Inputs.registry(Field.SOURCE, "Not/Valid"));
        assertThat(e.kind()).isEqualTo(ErrorKind.USAGE);
        assertThat(e.field()).contains(Field.SOURCE);
    }

    @Test
    void aSwitchIsTrueOrFalseAndNothingElseIsReadAsFalse() {
        assertThat(Inputs.bool(Field.REQUIRE_VETTED, "true")).isTrue();
        assertThat(Inputs.bool(Field.REQUIRE_VETTED, "false")).isFalse();
        assertThat(Inputs.bool("skip", "true")).isTrue();
        assertThat(Inputs.bool("skip", "false")).isFalse();
        // Boolean.valueOf reads every one of these as false: the check they were meant to switch on
        // would be off
        for (String wrong :
                new String[] {
                    "yes", "1", "ture", "TRUE", "True", "FALSE", "true ", " false", "", " ", "on",
                    "0", "no"
                }) {
            ImageGateException e =
                    catchThrowableOfType(
                            ImageGateException.class,
                            () -> Inputs.bool(Field.REQUIRE_VETTED, wrong));
            assertThat(e).as(wrong).isNotNull();
            assertThat(e.kind()).isEqualTo(ErrorKind.USAGE);
            assertThat(e.field()).contains(Field.REQUIRE_VETTED);
            assertThat(e.message().code()).isEqualTo("input.boolean");
            assertThat(e.render(Vocabulary.NEUTRAL))
                    .isEqualTo("require-vetted: \"" + wrong + "\" is not true or false");
        }
        ImageGateException none =
                catchThrowableOfType(
                        ImageGateException.class, () -> Inputs.bool(Field.FORCE, null));
        assertThat(none.render(Vocabulary.NEUTRAL))
                .isEqualTo("force has no value; give true or false");

        ImageGateException own =
                catchThrowableOfType(
                        ImageGateException.class,
                        () -> Inputs.bool("<skip>/-Dregistry.skip", "yes"));
        assertThat(own.kind()).isEqualTo(ErrorKind.USAGE);
        assertThat(own.field()).isEmpty();
        assertThat(own.render(Vocabulary.NEUTRAL))
                .isEqualTo("<skip>/-Dregistry.skip: \"yes\" is not true or false");
        // what is shown is data: a value cannot forge a line of its own
        assertThat(
                        catchThrowableOfType(
                                        ImageGateException.class,
                                        () -> Inputs.bool(Field.FORCE, "x\nERROR fake"))
                                .render(Vocabulary.NEUTRAL))
                .isEqualTo("force: \"x\\x0aERROR fake\" is not true or false");
    }

    @Test
    void registryEntriesAreParsedOnceForEveryFrontEnd() {
        RegistrySettings creds =
                Inputs.environmentCredentials(
                        Field.REGISTRY_CREDENTIALS,
                        " mirror.example.com:5000 = USER_VAR:PASS_VAR ");
        assertThat(creds.registry()).isEqualTo("mirror.example.com:5000");
        assertThat(creds.credentials())
                .contains(
                        new CredentialRef.EnvironmentVariables(
                                "USER_VAR:PASS_VAR", Field.REGISTRY_CREDENTIALS));
        ImageGateException wrong =
                catchThrowableOfType(
                        () ->
                                Inputs.environmentCredentials(
                                        Field.REGISTRY_CREDENTIALS, "alice:s3cret-Passw0rd"),
                        ImageGateException.class);
        assertThat(wrong.kind()).isEqualTo(ErrorKind.USAGE);
        assertThat(wrong.getMessage()).contains("REGISTRY=VAR").doesNotContain("s3cret");

        assertThat(Inputs.caFile("ca.pem"))
                .isEqualTo(RegistrySettings.defaults().withCaFile("ca.pem"));
        assertThat(Inputs.caFile("registry.example.com:443 = certs/ca.pem"))
                .isEqualTo(
                        RegistrySettings.of("registry.example.com:443").withCaFile("certs/ca.pem"));
    }

    @Test
    void anImageIsOneFileName() {
        assertThat(Inputs.fileName("docker.io/library/alpine:3.20"))
                .isEqualTo("docker.io_library_alpine_3.20");
        assertThat(Inputs.fileName("../../etc/passwd")).isEqualTo("_.._.._etc_passwd");
        assertThat(Inputs.fileName("r.example/" + "a".repeat(300))).hasSize(120);
    }
}
