package io.imagegate.trust;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A Rekor v1 checkpoint: a signed note (golang.org/x/mod/sumdb/note) whose text is the log's
 * origin, tree size and base64 root hash, followed by a blank line and signature lines {@code —
 * <name> <base64(4-byte key hint ‖ signature)>}. As Rekor's own verifier: every signature line must
 * be the log key's (its hint) and verify over the text.
 */
final class Checkpoint {
    private static final int MAX_SIGNATURES = 8;

    private Checkpoint() {}

    static void verify(String note, TrustedRoot.LogKey log, long treeSize, byte[] rootHash)
            throws InvalidSignatureException {
        int split = note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            throw new InvalidSignatureException("its checkpoint is not a signed note");
        }
        String text = note.substring(0, split + 1);
        List<String> lines = text.lines().toList();
        List<String> signatures = note.substring(split + 2).lines().toList();
        if (lines.size() < 3 || signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
            throw new InvalidSignatureException(
                    "its checkpoint is not a signed note with a tree size and root hash");
        }
        byte[] hash;
        try {
            if (Long.parseLong(lines.get(1)) != treeSize) {
                throw new InvalidSignatureException(
                        "its checkpoint is for another tree size than its inclusion proof");
            }
            hash = Base64.getDecoder().decode(lines.get(2));
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException(
                    "its checkpoint's tree size or root hash is malformed");
        }
        if (!Arrays.equals(hash, rootHash)) {
            throw new InvalidSignatureException(
                    "its checkpoint holds another root hash than its inclusion proof");
        }
        byte[] hint = Arrays.copyOf(CertificateTransparency.sha256(log.key().getEncoded()), 4);
        for (String line : signatures) {
            String[] parts = line.split(" ");
            byte[] bytes;
            try {
                bytes =
                        parts.length == 3 && parts[0].equals("\u2014")
                                ? Base64.getDecoder().decode(parts[2])
                                : new byte[0];
            } catch (IllegalArgumentException e) {
                bytes = new byte[0];
            }
            if (bytes.length < 5
                    || !Arrays.equals(Arrays.copyOf(bytes, 4), hint)
                    || !verifies(
                            log,
                            text.getBytes(StandardCharsets.UTF_8),
                            ByteBuffer.wrap(bytes, 4, bytes.length - 4))) {
                throw new InvalidSignatureException(
                        "its checkpoint's signature does not verify with the log's key");
            }
        }
    }

    private static boolean verifies(TrustedRoot.LogKey log, byte[] text, ByteBuffer signature) {
        try {
            Signature verifier =
                    Signature.getInstance(
                            log.key().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "Ed25519");
            verifier.initVerify(log.key());
            verifier.update(text);
            byte[] sig = new byte[signature.remaining()];
            signature.get(sig);
            return verifier.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
