package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.Digest;
import io.imagegate.testing.HostileParsing;

/**
 * Fuzzing the reader of verdict documents, which come from registries anyone may push to: a
 * document for the subject asked about, whose every view works, or an integrity error; never
 * another exception, and never a PASS read from a document that does not say PASS. Seeds:
 * src/test/resources/io/imagegate/vetting/VerdictDocumentFuzzTestInputs/.
 */
class VerdictDocumentFuzzTest {
    static final Digest SUBJECT =
            Digest.sha256("subject".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    @FuzzTest(maxDuration = "5s")
    void parse(byte[] data) {
        VerdictDocument doc;
        try {
            doc = VerdictDocument.parse(data, SUBJECT, "registry.example.com/base/app@" + SUBJECT);
        } catch (ImageGateException e) {
            HostileParsing.assertRefusal(e, ErrorKind.INTEGRITY);
            return;
        }
        assertThat(doc.bytes()).isEqualTo(data);
        if (doc.passed()) {
            assertThat(doc.verdict()).isEqualTo("PASS");
        }
        doc.policyDigest();
        doc.created();
        doc.findingKeys();
        doc.platformVerdicts();
        doc.text();
    }
}
