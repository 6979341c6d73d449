package io.imagegate.trust;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Who a keyless signature must come from: the certificate's subject (its SAN: the workflow URI, or
 * an e-mail address) and the OIDC issuer that vouched for it (Fulcio's issuer extension), each
 * exact or a regular expression matched against the whole value, as cosign's {@code
 * --certificate-identity[-regexp]} and {@code --certificate-oidc-issuer[-regexp]}. Both must be
 * given: a subject from any issuer is anyone's.
 */
public record CertificateIdentity(
        Optional<String> subject,
        Optional<Pattern> subjectRegExp,
        Optional<String> issuer,
        Optional<Pattern> issuerRegExp) {
    /** Fulcio's issuer extension (v2): a DER UTF8String. */
    static final String ISSUER_V2_OID = "1.3.6.1.4.1.57264.1.8";

    /**
     * Fulcio's first issuer extension: the issuer's raw bytes. Read when the v2 one is absent, as
     * cosign does.
     */
    static final String ISSUER_V1_OID = "1.3.6.1.4.1.57264.1.1";

    private static final int SAN_EMAIL = 1;
    private static final int SAN_URI = 6;

    public CertificateIdentity {
        if (subject.isPresent() == subjectRegExp.isPresent()
                || issuer.isPresent() == issuerRegExp.isPresent()) {
            throw new IllegalArgumentException(
                    "an identity needs exactly one of subject and subjectRegExp, and exactly one of issuer and"
                            + " issuerRegExp");
        }
    }

    /**
     * An identity from a policy's strings; a regular expression that does not compile is refused
     * with the reason.
     */
    public static CertificateIdentity of(
            String subject, String subjectRegExp, String issuer, String issuerRegExp) {
        return new CertificateIdentity(
                Optional.ofNullable(subject),
                compile(subjectRegExp, "subjectRegExp"),
                Optional.ofNullable(issuer),
                compile(issuerRegExp, "issuerRegExp"));
    }

    private static Optional<Pattern> compile(String regExp, String field) {
        if (regExp == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pattern.compile(regExp));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    field
                            + " \""
                            + regExp
                            + "\" is not a regular expression: "
                            + e.getDescription());
        }
    }

    /** Whether {@code certificate}'s subject and issuer are this identity's. */
    boolean matches(X509Certificate certificate) {
        Optional<String> certificateIssuer = issuerOf(certificate);
        if (certificateIssuer.isEmpty()
                || !matches(certificateIssuer.get(), issuer, issuerRegExp)) {
            return false;
        }
        for (String name : subjectsOf(certificate)) {
            if (matches(name, subject, subjectRegExp)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String value, Optional<String> exact, Optional<Pattern> regExp) {
        return exact.map(value::equals)
                .orElseGet(() -> regExp.orElseThrow().matcher(value).matches());
    }

    /** The certificate's e-mail and URI subject alternative names. */
    static List<String> subjectsOf(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            var sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() == 2
                            && (Integer.valueOf(SAN_EMAIL).equals(san.get(0))
                                    || Integer.valueOf(SAN_URI).equals(san.get(0)))
                            && san.get(1) instanceof String name) {
                        names.add(name);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return names;
    }

    /**
     * The OIDC issuer Fulcio recorded; empty when the certificate has none (or a malformed one).
     */
    static Optional<String> issuerOf(X509Certificate certificate) {
        try {
            byte[] v2 = certificate.getExtensionValue(ISSUER_V2_OID);
            if (v2 != null) {
                Der.Element text = Der.parse(Der.extensionContent(v2));
                return text.tag() == Der.UTF8_STRING
                        ? Optional.of(new String(text.content(), StandardCharsets.UTF_8))
                        : Optional.empty();
            }
            byte[] v1 = certificate.getExtensionValue(ISSUER_V1_OID);
            return v1 == null
                    ? Optional.empty()
                    : Optional.of(new String(Der.extensionContent(v1), StandardCharsets.UTF_8));
        } catch (Der.MalformedException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "subject "
                + subject.orElseGet(() -> "~" + subjectRegExp.orElseThrow().pattern())
                + " from "
                + issuer.orElseGet(() -> "~" + issuerRegExp.orElseThrow().pattern());
    }
}
