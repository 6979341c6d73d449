package io.imagegate.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.Digest;
import io.imagegate.testing.HostileParsing;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzing the manifest parser, as a hostile registry would feed it (any Content-Type, any body): a
 * manifest whose every view works — descriptors valid, sizes not negative, the digest that of the
 * bytes — or an integrity error with a short, printable message; never another exception. Seeds:
 * src/test/resources/io/imagegate/oci/ManifestFuzzTestInputs/.
 */
class ManifestFuzzTest {
    private static final List<String> CONTENT_TYPES =
            List.of(
                    "",
                    MediaTypes.OCI_MANIFEST,
                    MediaTypes.OCI_INDEX,
                    MediaTypes.DOCKER_MANIFEST,
                    MediaTypes.DOCKER_MANIFEST_LIST,
                    "application/json",
                    "text/html; charset=utf-8");

    /**
     * The first byte picks the Content-Type (so a seed is that byte and a JSON body); the rest is
     * the body.
     */
    @FuzzTest(maxDuration = "5s")
    void parse(byte[] data) {
        if (data.length == 0) {
            return;
        }
        String contentType = CONTENT_TYPES.get(Byte.toUnsignedInt(data[0]) % CONTENT_TYPES.size());
        byte[] bytes = java.util.Arrays.copyOfRange(data, 1, data.length);
        Manifest manifest;
        try {
            manifest = Manifest.parse(bytes, contentType, "registry.example.com/app@sha256:…");
        } catch (ImageGateException e) {
            HostileParsing.assertRefusal(e, ErrorKind.INTEGRITY);
            return;
        }
        assertThat(manifest.digest()).isEqualTo(Digest.sha256(bytes));
        assertThat(manifest.size()).isEqualTo(bytes.length);
        assertThat(
                        MediaTypes.isIndex(manifest.mediaType())
                                || MediaTypes.isManifest(manifest.mediaType()))
                .isTrue();
        List<Descriptor> all =
                new ArrayList<>(manifest.isIndex() ? manifest.manifests() : manifest.blobs());
        manifest.subject().ifPresent(all::add);
        if (!manifest.isIndex()) {
            manifest.config().ifPresent(all::add);
            all.addAll(manifest.layers());
        }
        for (Descriptor d : all) {
            assertThat(d.size()).isNotNegative();
            assertThat(d.digest()).isNotNull();
        }
        manifest.artifactType();
        manifest.annotations();
        assertThat(manifest.descriptor().digest()).isEqualTo(manifest.digest());
    }
}
