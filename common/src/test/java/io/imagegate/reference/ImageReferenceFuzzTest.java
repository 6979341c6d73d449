package io.imagegate.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzing the reference parser: any text is either a reference or an {@link
 * InvalidReferenceException}, and a parsed reference reads back as itself. Seeds and past crashes:
 * src/test/resources/io/imagegate/reference/ImageReferenceFuzzTestInputs/.
 */
class ImageReferenceFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void parse(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        ImageReference ref;
        try {
            ref = ImageReference.parse(text);
        } catch (InvalidReferenceException e) {
            assertThat(e.message()).isNotNull();
            return;
        }
        assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
        assertThat(ImageReference.parse(ref.familiarString())).isEqualTo(ref);
    }
}
