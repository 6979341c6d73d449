package io.imagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.testing.HostileParsing;
import java.nio.file.Path;

/**
 * Fuzzing the policy loader, YAML and JSON: any bytes are a policy or a configuration error that
 * names the file in a short, printable message; never another exception, a hang or a stack
 * overflow. A policy that loads has the file digest of exactly its bytes, and its canonical digest.
 * Seeds: src/test/resources/io/imagegate/policy/PolicyFuzzTestInputs/.
 */
class PolicyFuzzTest {
    private static final Path FILE = Path.of("policy.yaml");

    @FuzzTest(maxDuration = "5s")
    void yaml(byte[] data) {
        check(data, false);
    }

    @FuzzTest(maxDuration = "5s")
    void json(byte[] data) {
        check(data, true);
    }

    private static void check(byte[] data, boolean json) {
        Policy policy;
        try {
            policy = Policy.parse(data, FILE, json);
        } catch (ImageGateException e) {
            HostileParsing.assertRefusal(e, ErrorKind.CONFIGURATION);
            assertThat(e.getMessage()).contains("policy.yaml");
            return;
        }
        assertThat(policy.fileDigest())
                .isEqualTo(io.imagegate.reference.Digest.sha256(data).toString());
        assertThat(policy.digest()).isEqualTo(CanonicalPolicy.digest(policy));
        assertThat(policy.failOn()).isNotNull();
    }
}
