package io.imagegate.vetting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.registry.TransportListener;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.trust.SigningKey;
import io.imagegate.trust.SigstoreBundle;
import io.imagegate.trust.VerdictAttestation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * What signing adds to one verdict, in a warm process (a sync, a Maven reactor): the statement
 * signed, the bundle uploaded and its manifest put, exactly the work {@code Vetter}'s record step
 * does on top of an unsigned verdict (the referrers index is written once either way). Not a test:
 * bench/vetting.py runs it as {@code java -cp common/target/classes:common/target/test-classes:…
 * io.imagegate.vetting.SigningCostBench REGISTRY KEY N} and reads one line: {@code median_ms p90_ms
 * sign_ms}.
 */
public final class SigningCostBench {
    public static void main(String[] args) throws Exception {
        String registry = args[0];
        SigningKey key = SigningKey.load(Path.of(args[1]), Optional.empty(), "bench");
        int n = Integer.parseInt(args[2]);
        try (RegistryClient client =
                new RegistryClient(
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous(),
                        TransportListener.NONE)) {
            RemoteRepository repository =
                    client.push(ImageReference.parse(registry + "/signcost/bench:1"));
            // a subject the verdicts are about: a small manifest of its own
            byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
            repository.pushBlob(
                    new Descriptor(MediaTypes.OCI_EMPTY, Digest.sha256(config), config.length),
                    config);
            ObjectNode m =
                    Json.MAPPER
                            .createObjectNode()
                            .put("schemaVersion", 2)
                            .put("mediaType", MediaTypes.OCI_MANIFEST);
            m.putObject("config")
                    .put("mediaType", MediaTypes.OCI_EMPTY)
                    .put("digest", Digest.sha256(config).toString())
                    .put("size", 2);
            m.putArray("layers");
            Manifest subject = Manifest.create(m, "bench subject");
            repository.putManifest("1", subject);
            Descriptor subjectDescriptor =
                    new Descriptor(
                            MediaTypes.OCI_MANIFEST, subject.digest(), subject.bytes().length);
            double[] total = new double[n];
            double[] signing = new double[n];
            for (int i = 0; i < n + 10; i++) {
                ObjectNode document =
                        Json.MAPPER.createObjectNode().put("verdict", "PASS").put("run", i);
                long t0 = System.nanoTime();
                SigstoreBundle bundle =
                        VerdictAttestation.sign(
                                key, registry + "/signcost/bench", subject.digest(), document);
                long t1 = System.nanoTime();
                Manifest attestation =
                        AttestationReferrer.pushBundle(
                                repository, subjectDescriptor, bundle, Instant.now());
                repository.putManifest(attestation.digest().toString(), attestation);
                long t2 = System.nanoTime();
                if (i >= 10) { // the first ten warm the JIT and the connections, as a sync's
                    // first images do
                    total[i - 10] = (t2 - t0) / 1e6;
                    signing[i - 10] = (t1 - t0) / 1e6;
                }
            }
            Arrays.sort(total);
            Arrays.sort(signing);
            System.out.printf(
                    "%.2f %.2f %.2f%n", total[n / 2], total[(int) (n * 0.9)], signing[n / 2]);
        }
    }
}
