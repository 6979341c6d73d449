package io.imagegate.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.imagegate.reference.Digest;
import io.imagegate.trust.CertificateIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A policy's identity is its meaning: the SHA-256 of its canonical form, a compact JSON text of the
 * parsed policy, keys sorted, every value in one spelling, defaults written out. So comments, key
 * order, whitespace, line endings, YAML or JSON, the case of a severity, {@code 7d} for {@code
 * 168h} or {@code P7D}, a default written or left out, the order of lists that are sets (allowlist
 * entries, keys, identities) and repeated entries do not change it; any change of what the policy
 * decides does. Key files and the trusted root are named as written (normalized: no {@code ./}, no
 * repeated {@code /}): naming another file changes it, editing a file in place does not.
 *
 * <p>The text holds {@code "canonical":"imagegate-policy-canonical/v1"}: a key no policy file may
 * hold, so no policy file's bytes are ever a canonical text, and a digest of one never equals a
 * digest of the other. A new version of the form gets a new tag.
 */
public final class CanonicalPolicy {
    /** The version tag of the form, recorded beside the digest in every verdict made under it. */
    public static final String FORM = "imagegate-policy-canonical/v1";

    /** A placeholder digest for the policy the canonical form is being computed from. */
    static final String PENDING = "pending";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private static final Pattern STARS = Pattern.compile("\\*+");

    private CanonicalPolicy() {}

    /** The canonical digest of {@code policy} ({@code sha256:…}). */
    public static String digest(Policy policy) {
        return Digest.sha256(text(policy).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The canonical text of {@code policy}: what its digest is computed over. */
    public static String text(Policy policy) {
        Map<String, Object> root = new TreeMap<>();
        root.put("canonical", FORM);
        root.put("failOn", policy.failOn().name());
        Map<String, Object> counts = new TreeMap<>();
        policy.maxCounts().forEach((severity, n) -> counts.put(severity.name(), n));
        root.put("maxCounts", counts);
        root.put("ignoreUnfixed", policy.ignoresUnfixed());
        root.put("maxDbAge", policy.maxDbAgeDuration().map(Object::toString).orElse(null));
        root.put(
                "maxVerdictAge", policy.maxVerdictAgeDuration().map(Object::toString).orElse(null));
        root.put("allowlist", set(policy.allowlist(), CanonicalPolicy::entry));
        Map<String, Object> empty = new TreeMap<>();
        empty.put("everyImage", policy.emptyScans().everyImage());
        empty.put("images", set(policy.emptyScans().entries(), CanonicalPolicy::entry));
        root.put("allowEmptyScan", empty);
        root.put("verdictKeys", set(policy.verdictKeys(), CanonicalPolicy::path));
        root.put(
                "signatures",
                policy.signaturePolicy().map(CanonicalPolicy::signatures).orElse(null));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> entry(AllowlistEntry e) {
        Map<String, Object> m = new TreeMap<>();
        m.put("id", e.id());
        m.put("package", anything(e.packagePattern()));
        m.put("image", anything(e.imagePattern()));
        m.put("reason", e.reason());
        m.put("expires", e.expires());
        return m;
    }

    private static Map<String, Object> entry(EmptyScanEntry e) {
        Map<String, Object> m = new TreeMap<>();
        String image = anything(e.imagePattern());
        m.put("image", image == null ? "*" : image);
        m.put("reason", e.reason());
        m.put("expires", e.expires());
        return m;
    }

    private static Map<String, Object> signatures(SignaturePolicy s) {
        Map<String, Object> m = new TreeMap<>();
        m.put("required", s.required());
        m.put("keys", set(s.keyFiles(), CanonicalPolicy::path));
        m.put(
                "keyless",
                s.keyless()
                        .map(
                                k -> {
                                    Map<String, Object> keyless = new TreeMap<>();
                                    keyless.put("trustedRoot", path(k.trustedRoot()));
                                    keyless.put(
                                            "identities",
                                            set(k.identities(), CanonicalPolicy::identity));
                                    return keyless;
                                })
                        .orElse(null));
        return m;
    }

    private static Map<String, Object> identity(CertificateIdentity i) {
        Map<String, Object> m = new TreeMap<>();
        m.put("subject", i.subject().orElse(null));
        m.put("subjectRegExp", i.subjectRegExp().map(Pattern::pattern).orElse(null));
        m.put("issuer", i.issuer().orElse(null));
        m.put("issuerRegExp", i.issuerRegExp().map(Pattern::pattern).orElse(null));
        return m;
    }

    /**
     * A list whose order means nothing, as a set: each element's canonical text, sorted, once each.
     */
    private static <T> List<Object> set(Collection<T> items, Function<T, Object> form) {
        TreeMap<String, Object> sorted = new TreeMap<>();
        for (T item : items) {
            Object canonical = form.apply(item);
            try {
                sorted.put(JSON.writeValueAsString(canonical), canonical);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return new ArrayList<>(sorted.values());
    }

    /**
     * A glob in one spelling: a run of {@code *} is one (both match any run of characters); a glob
     * of only {@code *} matches every name, as no glob does, so it is none (null).
     */
    static String anything(String glob) {
        if (glob == null) {
            return null;
        }
        String one = STARS.matcher(glob).replaceAll("*");
        return one.equals("*") ? null : one;
    }

    /**
     * A file named relative to the policy file, as written, without {@code ./} or doubled {@code
     * /}.
     */
    static String path(String written) {
        List<String> parts = new ArrayList<>();
        for (String part : written.split("/", -1)) {
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return (written.startsWith("/") ? "/" : "") + String.join("/", parts);
    }
}
