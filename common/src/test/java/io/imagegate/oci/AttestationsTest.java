package io.imagegate.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What proves an index entry a build attestation, as BuildKit writes one; the annotation alone
 * proves nothing.
 */
class AttestationsTest {
    private static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String IN_TOTO = "application/vnd.in-toto+json";

    private final Map<Digest, Manifest> store = new HashMap<>();
    private final List<Digest> reads = new ArrayList<>();
    private final Function<Digest, Manifest> read =
            d -> {
                reads.add(d);
                return store.get(d);
            };

    private Manifest image(String... layerTypes) {
        StringBuilder layers = new StringBuilder();
        for (int i = 0; i < layerTypes.length; i++) {
            layers.append(i == 0 ? "" : ",")
                    .append(
                            "{\"mediaType\":\"%s\",\"digest\":\"sha256:%s\",\"size\":%d}"
                                    .formatted(
                                            layerTypes[i],
                                            Integer.toHexString(i + 1).repeat(64).substring(0, 64),
                                            10 + i));
        }
        String json =
                ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:%s\",\"size\":%d},\"layers\":[%s]}")
                        .formatted("c".repeat(64), store.size() + 2, layers);
        Manifest m = Manifest.parse(json.getBytes(StandardCharsets.UTF_8), "", "test");
        store.put(m.digest(), m);
        return m;
    }

    /**
     * One index entry: the manifest, its platform ({@code null} for none), and annotations as key,
     * value, key, value.
     */
    private static String entry(Manifest m, String platform, String... annotations) {
        StringBuilder out =
                new StringBuilder(
                        "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d"
                                .formatted(m.mediaType(), m.digest(), m.size()));
        if (platform != null) {
            String[] p = platform.split("/");
            out.append(
                    ",\"platform\":{\"os\":\"%s\",\"architecture\":\"%s\"%s}"
                            .formatted(
                                    p[0],
                                    p[1],
                                    p.length > 2 ? ",\"variant\":\"" + p[2] + "\"" : ""));
        }
        if (annotations.length > 0) {
            out.append(",\"annotations\":{");
            for (int i = 0; i < annotations.length; i += 2) {
                out.append(i == 0 ? "" : ",")
                        .append("\"%s\":\"%s\"".formatted(annotations[i], annotations[i + 1]));
            }
            out.append("}");
        }
        return out.append("}").toString();
    }

    private static String[] attestationOf(Manifest subject) {
        return new String[] {
            "vnd.docker.reference.type",
            "attestation-manifest",
            "vnd.docker.reference.digest",
            subject.digest().toString()
        };
    }

    private static Manifest index(String... entries) {
        String json =
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                        + String.join(",", entries)
                        + "]}";
        return Manifest.parse(json.getBytes(StandardCharsets.UTF_8), "", "test");
    }

    private List<Digest> selectable(Manifest index) {
        return Attestations.selectable(index, d -> true, read, "test").stream()
                .map(Descriptor::digest)
                .toList();
    }

    @Test
    void aBuildxAttestationIsLeftOutAndOnlyItIsRead() {
        Manifest app = image(LAYER);
        Manifest provenance = image(IN_TOTO, IN_TOTO);
        Manifest index =
                index(
                        entry(app, "linux/amd64"),
                        entry(provenance, "unknown/unknown", attestationOf(app)));

        assertThat(selectable(index)).containsExactly(app.digest());
        assertThat(reads).containsExactly(provenance.digest());
        assertThat(Attestations.proven(index, index.manifests().get(1), provenance)).isTrue();
    }

    @Test
    void anEntryFailingAnyPartOfTheProofIsAnImageLikeAnyOther() {
        Manifest app = image(LAYER);
        Manifest image = image(LAYER);
        Manifest mixed = image(IN_TOTO, LAYER);
        Manifest empty = image();
        Manifest provenance = image(IN_TOTO);
        Manifest nested = index(entry(app, "linux/amd64"));
        store.put(nested.digest(), nested);
        String[] noSibling = {
            "vnd.docker.reference.type",
            "attestation-manifest",
            "vnd.docker.reference.digest",
            "sha256:" + "f".repeat(64)
        };
        String[] itself = {
            "vnd.docker.reference.type",
            "attestation-manifest",
            "vnd.docker.reference.digest",
            provenance.digest().toString()
        };
        String[] noDigest = {"vnd.docker.reference.type", "attestation-manifest"};
        String[] badDigest = {
            "vnd.docker.reference.type",
            "attestation-manifest",
            "vnd.docker.reference.digest",
            "nonsense"
        };
        Manifest index =
                index(
                        entry(app, "linux/amd64"),
                        entry(image, "unknown/unknown", attestationOf(app)), // image layers
                        entry(
                                mixed,
                                "unknown/unknown",
                                attestationOf(app)), // an image layer beside the in-toto one
                        entry(empty, "unknown/unknown", attestationOf(app)), // no layer at all
                        entry(nested, "unknown/unknown", attestationOf(app)), // an index
                        entry(
                                provenance,
                                "unknown/unknown",
                                noSibling), // names no entry of the index
                        entry(provenance, "unknown/unknown", itself), // names itself
                        entry(provenance, "unknown/unknown", noDigest),
                        entry(provenance, "unknown/unknown", badDigest),
                        entry(
                                provenance,
                                null,
                                attestationOf(app))); // no platform: containerd reads its config

        assertThat(selectable(index))
                .containsExactly(
                        app.digest(),
                        image.digest(),
                        mixed.digest(),
                        empty.digest(),
                        nested.digest(),
                        provenance.digest(),
                        provenance.digest(),
                        provenance.digest(),
                        provenance.digest(),
                        provenance.digest());
    }

    @Test
    void anImageAnnotatedAsAnAttestationUnderARealPlatformIsRefused() {
        Manifest app = image(LAYER);
        Manifest vulnerable = image(LAYER);
        for (String platform :
                List.of("linux/amd64", "linux/arm64/v8", "unknown/unknown/v1", "windows/unknown")) {
            Manifest index =
                    index(
                            entry(vulnerable, platform, attestationOf(app)),
                            entry(app, "linux/amd64"));

            assertThatThrownBy(
                            () ->
                                    Attestations.selectable(
                                            index, d -> true, read, "example.com/app:1"))
                    .isInstanceOfSatisfying(
                            ImageGateException.class,
                            e -> {
                                assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
                                assertThat(e.message().code()).isEqualTo("attestation.disguised");
                                assertThat(e.message().toString())
                                        .contains(
                                                index.digest().toString(),
                                                vulnerable.digest().toString(),
                                                "example.com/app:1",
                                                platform);
                            });
            // whatever the caller selects among: the index as a whole is refused
            assertThatThrownBy(
                            () ->
                                    Attestations.selectable(
                                            index, d -> d.digest().equals(app.digest()), read, "x"))
                    .isInstanceOf(ImageGateException.class);
        }
        assertThat(reads).isEmpty();
    }

    @Test
    void onlyTheEntriesAskedAboutAreProvenAndEachDigestIsReadOnce() {
        Manifest app = image(LAYER);
        Manifest arm = image(LAYER);
        Manifest provenance = image(IN_TOTO);
        Manifest index =
                index(
                        entry(app, "linux/amd64"),
                        entry(arm, "linux/arm64"),
                        entry(provenance, "unknown/unknown", attestationOf(app)),
                        entry(provenance, "unknown/unknown", attestationOf(arm)));

        assertThat(
                        Attestations.selectable(
                                index,
                                d ->
                                        d.platform()
                                                .map(Platform.parse("linux/arm64")::matches)
                                                .orElse(false),
                                read,
                                "x"))
                .extracting(Descriptor::digest)
                .containsExactly(arm.digest());
        assertThat(reads).isEmpty();
        assertThat(
                        Attestations.selectable(
                                index,
                                d ->
                                        d.platform()
                                                .map(Platform.parse("unknown/unknown")::matches)
                                                .orElse(false),
                                read,
                                "x"))
                .isEmpty();
        assertThat(reads).containsExactly(provenance.digest());
    }

    @Test
    void anIndexWithMoreAttestationsToProveThanTheBoundIsRefused() {
        Manifest app = image(LAYER);
        List<String> entries = new ArrayList<>(List.of(entry(app, "linux/amd64")));
        for (int i = 0; i <= Attestations.MAX_PROOFS; i++) {
            entries.add(
                    entry(
                            image(IN_TOTO),
                            "unknown/unknown",
                            attestationOf(app))); // each a distinct manifest
        }
        Manifest index = index(entries.toArray(String[]::new));
        assertThatThrownBy(() -> selectable(index))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.message().code()).isEqualTo("attestation.too-many"));
        assertThat(reads).hasSize(Attestations.MAX_PROOFS);
    }
}
