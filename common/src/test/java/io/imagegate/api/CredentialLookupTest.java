package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Vocabulary;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials a front end looks up when an operation first needs them (Maven's settings.xml
 * servers).
 */
@NeedsComponents
class CredentialLookupTest {
    @RegisterExtension static final RegistryExtension open = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension basic = RegistryExtension.htpasswd();

    static TestImages.Image image;

    @TempDir Path dir;

    @BeforeAll
    static void push() {
        image = TestImages.cleanAlpine();
        new ImagePusher(open).push("src/app", "1", image);
    }

    private ImportResult importInto(Settings settings, String repository) {
        return ImageGate.create(settings)
                .importImage(
                        ImportSpec.builder()
                                .source(open.hostPort() + "/src/app:1")
                                .target(basic.hostPort() + "/" + repository + ":1")
                                .build(),
                        ProgressListener.NONE);
    }

    @Test
    void aLookupRunsOnceWhenItsRegistryIsFirstUsedAndNeverForOthers() {
        AtomicInteger lookups = new AtomicInteger();
        CredentialRef.Source broken =
                () -> {
                    throw new AssertionError(
                            "looked up credentials for a registry the import does not use");
                };
        Settings settings =
                TestSettings.in(dir)
                        .withRegistry(
                                RegistrySettings.of(basic.hostPort())
                                        .withCredentials(
                                                CredentialRef.lookup(
                                                        () -> {
                                                            lookups.incrementAndGet();
                                                            return CredentialRef.usernamePassword(
                                                                    RegistryExtension.PUSH_USER,
                                                                    RegistryExtension
                                                                            .PUSH_PASSWORD);
                                                        })))
                        .withRegistry(
                                RegistrySettings.of("registry.example.com")
                                        .withCredentials(CredentialRef.lookup(broken)));

        ImportResult result = importInto(settings, "team/app");

        assertThat(result.outcome()).as(result.summary()).isEqualTo(Outcome.PASSED);
        assertThat(new ImagePusher(basic).manifestDigest("team/app", "1")).contains(image.digest());
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aHostEntryServesEveryPortOfThatHost() {
        Settings settings =
                TestSettings.in(dir)
                        .withRegistry(
                                RegistrySettings.of("127.0.0.1")
                                        .withCredentials(
                                                CredentialRef.lookup(
                                                        () ->
                                                                CredentialRef.usernamePassword(
                                                                        RegistryExtension.PUSH_USER,
                                                                        RegistryExtension
                                                                                .PUSH_PASSWORD))));
        assertThat(importInto(settings, "by-host/app").outcome()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void aFailedLookupFailsTheOperationWithItsOwnTypedError() {
        Settings settings =
                TestSettings.in(dir)
                        .withRegistry(
                                RegistrySettings.of(basic.hostPort())
                                        .withCredentials(
                                                CredentialRef.lookup(
                                                        () -> {
                                                            throw ImageGateException.configuration(
                                                                    "test.undecryptable",
                                                                    "the password of server {0} cannot be decrypted",
                                                                    "private");
                                                        })));

        ImportResult result = importInto(settings, "team/broken");

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.error())
                .get()
                .extracting(ImageGateException::kind)
                .isEqualTo(ErrorKind.CONFIGURATION);
        assertThat(result.error().get().render(Vocabulary.NEUTRAL))
                .isEqualTo("the password of server private cannot be decrypted");
    }
}
