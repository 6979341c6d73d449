package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.Field;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Settings are Serializable so a controller can hand them to the machine that does the work: every
 * part survives the trip.
 */
class SettingsSerializationTest {
    @Test
    void settingsWithEveryKindOfRegistrySettingRoundTrip() throws Exception {
        Settings settings =
                Settings.of(Environment.of(Map.of("PATH", "/usr/bin"), "/home/u", "/work", "/tmp"))
                        .withRegistry(RegistrySettings.of("plain.example:5000").withPlainHttp(true))
                        .withRegistry(RegistrySettings.defaults().withCaFile("ca.pem"))
                        .withRegistry(
                                RegistrySettings.of("chunked.example")
                                        .withChunkSize(1 << 20)
                                        .withCredentials(
                                                CredentialRef.usernamePassword("user", "pa55word")))
                        .withRegistry(
                                RegistrySettings.of("token.example")
                                        .withCredentials(CredentialRef.token("t0ken")))
                        .withRegistry(
                                RegistrySettings.of("env.example")
                                        .withCredentials(
                                                CredentialRef.environment(
                                                        "U:P", Field.SOURCE_CREDENTIALS)))
                        .withExchangeTimeout(Duration.ofSeconds(7));

        Settings back = roundTrip(settings);

        assertThat(back).isEqualTo(settings);
        assertThat(back.registries()).hasSize(5);
        assertThat(back.registries().get(2).credentials())
                .contains(CredentialRef.usernamePassword("user", "pa55word"));
    }

    private static Settings roundTrip(Settings settings)
            throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(settings);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (Settings) in.readObject();
        }
    }
}
