package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
    @Test
    void everyOccurrenceOfEverySecretIsMaskedLongestFirst() {
        SecretMasker masker = SecretMasker.of(List.of("pass", "pass-word", ""));
        assertThat(masker.mask("a pass-word and a pass, pass-word again"))
                .isEqualTo("a **** and a ****, **** again");
        assertThat(masker.mask(null)).isNull();
        assertThat(SecretMasker.none().mask("pass")).isEqualTo("pass");
    }

    @Test
    void credentialsMaskTheirSecretTheirUsernameWhenSecretAndTheBasicAuthPair() {
        CredentialValue up = CredentialValue.usernamePassword("id", "deployer", "hunter22", true);
        String basic =
                Base64.getEncoder()
                        .encodeToString("deployer:hunter22".getBytes(StandardCharsets.UTF_8));
        SecretMasker masker =
                CredentialValues.of(List.of(up, CredentialValue.secretText("t", "tok-123")))
                        .masker();
        assertThat(masker.mask("deployer hunter22 " + basic + " tok-123"))
                .isEqualTo("**** **** **** ****");

        CredentialValue publicName =
                CredentialValue.usernamePassword("id", "deployer", "hunter22", false);
        assertThat(CredentialValues.of(List.of(publicName)).masker().mask("deployer hunter22"))
                .isEqualTo("deployer ****");
    }

    @Test
    void aSecretFileIsMaskedWholeLineByLineAndAsItsBase64BodyButNotItsArmour() {
        String pem =
                "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\r\n"
                        + "eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjo2NTUzNiwiciI6\n"
                        + "OCwicCI6MX0sInNhbHQiOiJzYWx0In19\n"
                        + "QUJD\n"
                        + "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
        CredentialValue key =
                CredentialValue.secretFile("org-key", pem.getBytes(StandardCharsets.US_ASCII));
        SecretMasker masker =
                CredentialValues.of(List.of(key, CredentialValue.secretText("pw", "key-Passw0rd")))
                        .masker();
        assertThat(
                        masker.mask(
                                "line eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjo2NTUzNiwiciI6 and OCwicCI6MX0sInNhbHQiOiJzYWx0In19"))
                .isEqualTo("line **** and ****");
        assertThat(
                        masker.mask(
                                "eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjo2NTUzNiwiciI6OCwicCI6MX0sInNhbHQiOiJzYWx0In19QUJD"))
                .as("the body in one piece")
                .isEqualTo("****");
        assertThat(masker.mask("password key-Passw0rd")).isEqualTo("password ****");
        assertThat(masker.mask("an ENCRYPTED SIGSTORE PRIVATE KEY, QUJD"))
                .as("armour and a short last line are no secret on their own")
                .isEqualTo("an ENCRYPTED SIGSTORE PRIVATE KEY, QUJD");
        assertThat(key.toString()).isEqualTo("CredentialValue[org-key, SECRET_FILE]");
        assertThat(CredentialValues.of(List.of(key)).keyContent("org-key").toString())
                .isEqualTo("KeyContent[credential 'org-key']");
        assertThatThrownBy(
                        () ->
                                CredentialValue.secretFile(
                                        "big", new byte[CredentialUse.MAX_FILE_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credentialsNeverShowTheirValues() {
        CredentialValue up = CredentialValue.usernamePassword("id", "deployer", "hunter22", true);
        CredentialValues values = CredentialValues.of(List.of(up));
        AgentRequest request =
                new AgentRequest(
                        new ScanParameters("alpine"),
                        values,
                        java.util.Map.of("TOKEN", "hunter22"),
                        null);
        assertThat(up + " " + values + " " + request)
                .doesNotContain("hunter22")
                .doesNotContain("deployer")
                .contains("id");
    }
}
