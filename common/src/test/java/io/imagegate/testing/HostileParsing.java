package io.imagegate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;

/**
 * What fuzz targets of hostile-content parsers assert about a refusal: a typed error of the
 * expected kind whose message a person can read — short (hostile bytes are never echoed in bulk)
 * and free of control characters (they could forge log lines or move a terminal's cursor).
 */
public final class HostileParsing {
    /**
     * Longer than any message imagegate writes about a file, far shorter than what a hostile file
     * could make it quote.
     */
    public static final int MAX_MESSAGE = 2_000;

    private HostileParsing() {}

    public static void assertRefusal(ImageGateException e, ErrorKind expected) {
        assertThat(e.kind()).as("kind of %s", e.getMessage()).isEqualTo(expected);
        String message = e.getMessage();
        assertThat(message).isNotBlank();
        assertThat(message.length())
                .as(
                        "length of %s",
                        message.length() > 300 ? message.substring(0, 300) + "…" : message)
                .isLessThanOrEqualTo(MAX_MESSAGE);
        for (String line : message.split("\n", -1)) {
            assertThat(Message.neutralize(line))
                    .as("control characters in %s", message)
                    .isEqualTo(line);
        }
    }
}
