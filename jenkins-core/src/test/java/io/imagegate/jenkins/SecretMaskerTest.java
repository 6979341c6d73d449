package io.imagegate.jenkins;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskerTest {
    @Test
    void everyOccurrenceOfEverySecretIsMaskedLongestFirst() {
        SecretMasker masker = SecretMasker.of(List.of("pass", "pass-word", ""));
        assertThat(masker.mask("a pass-word and a pass, pass-word again")).isEqualTo("a **** and a ****, **** again");
        assertThat(masker.mask(null)).isNull();
        assertThat(SecretMasker.none().mask("pass")).isEqualTo("pass");
    }

    @Test
    void credentialsMaskTheirSecretTheirUsernameWhenSecretAndTheBasicAuthPair() {
        CredentialValue up = CredentialValue.usernamePassword("id", "deployer", "hunter22", true);
        String basic = Base64.getEncoder().encodeToString("deployer:hunter22".getBytes(StandardCharsets.UTF_8));
        SecretMasker masker = CredentialValues.of(List.of(up, CredentialValue.secretText("t", "tok-123"))).masker();
        assertThat(masker.mask("deployer hunter22 " + basic + " tok-123")).isEqualTo("**** **** **** ****");

        CredentialValue publicName = CredentialValue.usernamePassword("id", "deployer", "hunter22", false);
        assertThat(CredentialValues.of(List.of(publicName)).masker().mask("deployer hunter22")).isEqualTo("deployer ****");
    }

    @Test
    void credentialsNeverShowTheirValues() {
        CredentialValue up = CredentialValue.usernamePassword("id", "deployer", "hunter22", true);
        CredentialValues values = CredentialValues.of(List.of(up));
        AgentRequest request = new AgentRequest(new ScanParameters("alpine"), values, java.util.Map.of("TOKEN", "hunter22"), null);
        assertThat(up + " " + values + " " + request).doesNotContain("hunter22").doesNotContain("deployer").contains("id");
    }
}
