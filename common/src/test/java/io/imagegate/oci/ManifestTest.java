package io.imagegate.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ImageGateException;
import io.imagegate.reference.Digest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    private static final String INDEX =
            """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
             {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":10,"platform":{"os":"linux","architecture":"amd64"}},
             {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":11,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}}
            ],"annotations":{"x":"y"}}"""
                    .formatted(A, B);

    @Test
    void keepsBytesAndDigest() {
        byte[] bytes = INDEX.getBytes(StandardCharsets.UTF_8);
        Manifest m = Manifest.parse(bytes, "application/json", "test");
        assertThat(m.bytes()).isEqualTo(bytes);
        assertThat(m.digest()).isEqualTo(Digest.sha256(bytes));
        assertThat(m.isIndex()).isTrue();
        assertThat(m.manifests())
                .extracting(d -> d.platform().orElseThrow().toString())
                .containsExactly("linux/amd64", "linux/arm64/v8");
    }

    @Test
    void anIndexHasNoConfigOrLayersWhateverItCarriesUnderThoseNames() {
        // found by ManifestFuzzTest: a bad "config" in an index passed parsing and failed later, in
        // artifactType()
        String index =
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[],"
                        + "\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:nothex\",\"size\":1},\"layers\":[{\"digest\":1}]}";
        Manifest m = Manifest.parse(index.getBytes(StandardCharsets.UTF_8), "", "test");
        assertThat(m.config()).isEmpty();
        assertThat(m.layers()).isEmpty();
        assertThat(m.artifactType()).isEmpty();
    }

    @Test
    void filteringAnIndexMakesANewDigestAndKeepsOtherFields() {
        Manifest m = Manifest.parse(INDEX.getBytes(StandardCharsets.UTF_8), "", "test");
        Manifest arm =
                m.filterIndex(
                        d -> Platform.parse("linux/arm64").matches(d.platform().orElseThrow()));
        assertThat(arm.manifests()).extracting(d -> d.digest().toString()).containsExactly(B);
        assertThat(arm.digest()).isNotEqualTo(m.digest()).isEqualTo(Digest.sha256(arm.bytes()));
        assertThat(new String(arm.bytes(), StandardCharsets.UTF_8))
                .contains("\"annotations\":{\"x\":\"y\"}");
    }

    @Test
    void artifactManifestListsConfigAndLayers() {
        String helm =
                """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"%s","size":5},
                 "layers":[{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"%s","size":7}]}"""
                        .formatted(A, B);
        Manifest m = Manifest.parse(helm.getBytes(StandardCharsets.UTF_8), "", "chart");
        assertThat(m.isIndex()).isFalse();
        assertThat(m.blobs())
                .extracting(Descriptor::mediaType)
                .containsExactly(
                        "application/vnd.cncf.helm.config.v1+json",
                        "application/vnd.cncf.helm.chart.content.v1.tar+gzip");
    }

    @Test
    void schema1IsRefusedClearly() {
        String schema1 = "{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"1\",\"fsLayers\":[]}";
        assertThatThrownBy(
                        () ->
                                Manifest.parse(
                                        schema1.getBytes(StandardCharsets.UTF_8),
                                        MediaTypes.DOCKER_SCHEMA1_SIGNED,
                                        "old:1"))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("old:1")
                .hasMessageContaining("schema 1");
    }

    @Test
    void nonJsonIsNamed() {
        assertThatThrownBy(
                        () ->
                                Manifest.parse(
                                        "<html>".getBytes(StandardCharsets.UTF_8),
                                        "text/html",
                                        "r/x:1"))
                .hasMessageContaining("r/x:1")
                .hasMessageContaining("not valid JSON");
    }
}
