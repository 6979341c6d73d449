package io.imagegate.trust;

import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The small files trust is read from (a public key, a private key, a trusted root): a regular file,
 * read to a bound, with errors that name the file, where it was named, and what it should have
 * been. A private key's bytes are zeroed when they are refused, and its read failure names only the
 * kind of failure.
 */
final class TrustFile {
    private TrustFile() {}

    /**
     * The bytes of {@code file}; refused with {@code <code>.missing}, {@code .unreadable} or {@code
     * .too-large}.
     *
     * @param what what the file holds, for people ("public key", "trusted root")
     * @param code the prefix of the error codes
     * @param secret whether it holds a secret (a private key)
     */
    static byte[] read(
            Path file, int max, String what, String code, Object namedBy, boolean secret) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw ImageGateException.configuration(
                        code + ".missing",
                        "the " + what + " file {0} ({1}) does not exist or is not a regular file",
                        file,
                        namedBy);
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(max + 1);
            }
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    code + ".unreadable",
                    "cannot read the " + what + " file {0} ({1}): {2}",
                    file,
                    namedBy,
                    secret ? e.getClass().getSimpleName() : String.valueOf(e.getMessage()));
        }
        if (bytes.length > max) {
            if (secret) {
                Arrays.fill(bytes, (byte) 0);
            }
            throw ImageGateException.configuration(
                    code + ".too-large",
                    "the " + what + " file {0} ({1}) is larger than {2} bytes; it is not a " + what,
                    file,
                    namedBy,
                    max);
        }
        return bytes;
    }
}
