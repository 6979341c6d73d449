package io.imagegate.api;

/**
 * A verdict recorded in a registry beside an image.
 *
 * @param artifact the verdict artifact ({@code host/repo@sha256:…})
 * @param subject the image it judges, by digest
 * @param verdict PASS or FAIL
 * @param policyDigest the policy it was made under
 * @param created when (ISO-8601)
 * @param document the verdict document (JSON, schema {@code docs/verdict-v1.schema.json})
 * @param signature whether it is signed and by which key (fingerprint), verified or as claimed, in
 *     words
 */
public record StoredVerdict(
        String artifact,
        String subject,
        String verdict,
        String policyDigest,
        String created,
        String document,
        String signature) {
    public StoredVerdict(
            String artifact,
            String subject,
            String verdict,
            String policyDigest,
            String created,
            String document) {
        this(artifact, subject, verdict, policyDigest, created, document, "");
    }
}
