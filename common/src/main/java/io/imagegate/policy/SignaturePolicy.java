package io.imagegate.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagegate.trust.PublicKeys;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy's {@code signatures} section: which upstream signatures an image needs before it is copied anywhere.
 *
 * <pre>
 * signatures:
 *   required: true            # default true: no valid signature by a listed key fails the image
 *   keys: [upstream.pub]      # cosign public keys (PEM), relative to the policy file
 * </pre>
 *
 * With {@code required: false} signatures are verified and recorded but an unsigned image is not failed for it.
 *
 * @param required whether an image without a valid signature by one of {@code keys} fails
 * @param keyFiles the key files as the policy names them
 * @param keys     the keys, loaded (empty until {@link #loadKeys} ran: only a parsed policy file has them)
 */
public record SignaturePolicy(boolean required, List<String> keyFiles, List<PublicKeys.Key> keys) {
    /** More keys than this is not a list of upstream signers anyone maintains. */
    static final int MAX_KEYS = 32;

    public SignaturePolicy {
        keyFiles = List.copyOf(keyFiles);
        keys = List.copyOf(keys);
    }

    @JsonCreator
    static SignaturePolicy fromJson(@JsonProperty("required") Boolean required, @JsonProperty("keys") List<String> keys) {
        if (keys == null || keys.isEmpty()) {
            throw new IllegalArgumentException("signatures needs keys: the cosign public key files (PEM) upstream signatures must verify"
                    + " with, e.g. keys: [upstream.pub] (keyless signatures are not supported yet)");
        }
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("signatures lists " + keys.size() + " keys; at most " + MAX_KEYS);
        }
        for (String key : keys) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("signatures.keys holds an empty entry; name a public key file");
            }
        }
        return new SignaturePolicy(required == null || required, keys, List.of());
    }

    /**
     * This section with its keys loaded, each file resolved against the policy file's directory; one that is missing,
     * unreadable or not a P-256 public key is refused. A key listed twice (under two names) is kept once.
     */
    SignaturePolicy loadKeys(Path policyFile) {
        Map<String, PublicKeys.Key> byFingerprint = new LinkedHashMap<>();
        for (int i = 0; i < keyFiles.size(); i++) {
            Path file = policyFile.resolveSibling(keyFiles.get(i));
            PublicKeys.Key key = PublicKeys.load(file, "key signatures.keys[" + i + "] of the policy file " + policyFile);
            byFingerprint.putIfAbsent(key.fingerprint(), new PublicKeys.Key(key.key(), keyFiles.get(i), key.fingerprint()));
        }
        return new SignaturePolicy(required, keyFiles, new ArrayList<>(byFingerprint.values()));
    }
}
