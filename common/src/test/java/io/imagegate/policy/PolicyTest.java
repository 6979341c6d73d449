package io.imagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.finding.Severity;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTest {
    @TempDir Path dir;

    private Path file(String name, String text) throws IOException {
        Files.createDirectories(dir.resolve(name).getParent());
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsACompleteYamlPolicy() throws IOException {
        Policy p =
                Policy.load(
                        file(
                                "policy.yaml",
                                """
                failOn: critical
                maxCounts:
                  MEDIUM: 3
                ignoreUnfixed: true
                maxDbAge: 7d
                allowEmptyScan: true
                allowlist:
                  - id: CVE-2099-0001
                    package: "open*"
                    image: "registry.example.com/base/*"
                    reason: patched in our fork
                    expires: 2027-01-31
                """));
        assertThat(p.failOn()).isEqualTo(Severity.CRITICAL);
        assertThat(p.maxCounts()).containsEntry(Severity.MEDIUM, 3);
        assertThat(p.ignoresUnfixed()).isTrue();
        assertThat(p.maxDbAgeDuration()).contains(Duration.ofDays(7));
        assertThat(p.allowsEmptyScan()).isTrue();
        assertThat(Policy.defaults().allowsEmptyScan()).isFalse();
        assertThat(p.allowlist())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.expiryDate()).isEqualTo(LocalDate.of(2027, 1, 31));
                            assertThat(e.isExpired(LocalDate.of(2027, 1, 31))).isFalse();
                            assertThat(e.isExpired(LocalDate.of(2027, 2, 1))).isTrue();
                        });
        assertThat(p.digest()).startsWith("sha256:");
    }

    @Test
    void verdictKeysAreFilesRelativeToThePolicyAndStrict() throws IOException {
        Path f = file("keys.yaml", "verdictKeys: [org.pub, old/org.pub]\n");
        assertThat(Policy.load(f).verdictKeys())
                .containsExactly(
                        f.toAbsolutePath().getParent().resolve("org.pub").toString(),
                        f.toAbsolutePath().getParent().resolve("old/org.pub").toString());
        // the identity names the keys as written: moving the policy with its keys keeps its
        // verdicts
        Path moved = file("elsewhere/keys.yaml", "verdictKeys: [./old/org.pub, org.pub]\n");
        assertThat(Policy.load(moved).digest()).isEqualTo(Policy.load(f).digest());
        assertThat(Policy.load(f).fileDigest())
                .isEqualTo(
                        io.imagegate.reference.Digest.sha256(
                                        "verdictKeys: [org.pub, old/org.pub]\n")
                                .toString());
        Path scalar = file("scalar.yaml", "verdictKeys: org.pub\n");
        assertThatThrownBy(() -> Policy.load(scalar))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("verdictKeys");
        Path blank = file("blank.yaml", "verdictKeys: [\"\"]\n");
        assertThatThrownBy(() -> Policy.load(blank))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("verdictKeys");
    }

    @Test
    void readsJsonToo() throws IOException {
        Policy p =
                Policy.load(file("policy.json", "{\"failOn\": \"MEDIUM\", \"maxDbAge\": \"P2D\"}"));
        assertThat(p.failOn()).isEqualTo(Severity.MEDIUM);
        assertThat(p.maxDbAgeDuration()).contains(Duration.ofDays(2));
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() throws IOException {
        Path f = file("p.yaml", "failOn: HIGH\nignoreUnfixd: true\n");
        assertThatThrownBy(() -> Policy.load(f))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("line 2")
                .hasMessageContaining("unknown key \"ignoreUnfixd\"");
    }

    @Test
    void badValuesAreNamedWithFileLineAndKey() throws IOException {
        Path severity = file("s.yaml", "failOn: HUGE\n");
        assertThatThrownBy(() -> Policy.load(severity))
                .hasMessageContaining("line 1")
                .hasMessageContaining("key failOn")
                .hasMessageContaining(
                        "\"HUGE\" is not a valid value; use UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL");
        Path date = file("d.yaml", "allowlist:\n  - id: CVE-1\n    reason: r\n    expires: soon\n");
        assertThatThrownBy(() -> Policy.load(date))
                .hasMessageContaining("key allowlist[0]")
                .hasMessageContaining("expires \"soon\", which is not a date");
        Path reason = file("r.yaml", "allowlist:\n  - id: CVE-1\n    expires: 2027-01-01\n");
        assertThatThrownBy(() -> Policy.load(reason)).hasMessageContaining("reason");
        Path age = file("a.yaml", "maxDbAge: forever\n");
        assertThatThrownBy(() -> Policy.load(age))
                .hasMessageContaining("maxDbAge \"forever\" is not a positive duration");
        Path empty = file("e.yaml", "allowEmptyScan: \"yes\"\n");
        assertThatThrownBy(() -> Policy.load(empty))
                .hasMessageContaining("line 1")
                .hasMessageContaining("key allowEmptyScan");
        Path broken = file("b.yaml", "failOn: \"HIGH\nmaxDbAge: 7d\n");
        assertThatThrownBy(() -> Policy.load(broken)).hasMessageContaining("is not valid YAML");
        assertThatThrownBy(() -> Policy.load(dir.resolve("missing.yaml")))
                .hasMessageContaining("does not exist");
    }

    @Test
    void theExampleInTheDocsIsAValidPolicy() throws IOException {
        String doc =
                Files.readString(
                        io.imagegate.testing.FixtureVulnerabilityDb.projectRoot()
                                .resolve("docs/scan.md"));
        int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        Policy p =
                Policy.load(file("example.yaml", doc.substring(start, doc.indexOf("```", start))));
        assertThat(p.failOn()).isEqualTo(Severity.HIGH);
        assertThat(p.allowsEmptyScan()).isFalse();
        assertThat(p.maxCounts())
                .containsEntry(Severity.MEDIUM, 20)
                .containsEntry(Severity.LOW, 100);
        assertThat(p.allowlist())
                .singleElement()
                .satisfies(
                        e -> assertThat(e.imagePattern()).isEqualTo("registry.example.com/base/*"));
    }

    @Test
    void globs() {
        assertThat(
                        AllowlistEntry.glob("registry.example.com/base/*")
                                .matcher("registry.example.com/base/alpine")
                                .matches())
                .isTrue();
        assertThat(AllowlistEntry.glob("lib?").matcher("libc").matches()).isTrue();
        assertThat(AllowlistEntry.glob("a.b").matcher("axb").matches()).isFalse();
    }

    @Test
    void ambiguousOrTrickyPoliciesAreRefusedNamingFileLineAndKey() throws IOException {
        // a duplicate key would otherwise let the last one win: failOn LOW then CRITICAL lets a
        // HIGH finding pass
        Path duplicate = file("dup.yaml", "failOn: LOW\nfailOn: CRITICAL\n");
        assertThatThrownBy(() -> Policy.load(duplicate))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.kind())
                                    .isEqualTo(io.imagegate.message.ErrorKind.CONFIGURATION);
                            assertThat(e.getMessage())
                                    .contains("dup.yaml")
                                    .contains("line 2")
                                    .contains("duplicate key \"failOn\"");
                        });
        Path second = file("two.yaml", "failOn: CRITICAL\n---\nfailOn: LOW\n");
        assertThatThrownBy(() -> Policy.load(second))
                .hasMessageContaining("second document")
                .hasMessageContaining("two.yaml line 3");
        Path number = file("n.yaml", "failOn: 4\n");
        assertThatThrownBy(() -> Policy.load(number))
                .hasMessageContaining("key failOn")
                .hasMessageContaining("\"4\" is not a valid value; use UNKNOWN");
        Path fraction = file("f.yaml", "maxCounts:\n  MEDIUM: 1.5\n");
        assertThatThrownBy(() -> Policy.load(fraction))
                .hasMessageContaining("maxCounts")
                .hasMessageContaining("whole number");
        Path negative = file("neg.yaml", "maxDbAge: -7d\n");
        assertThatThrownBy(() -> Policy.load(negative))
                .hasMessageContaining("maxDbAge")
                .hasMessageContaining("positive duration");
        Path isoNegative = file("neg2.yaml", "maxVerdictAge: PT-5H\n");
        assertThatThrownBy(() -> Policy.load(isoNegative)).hasMessageContaining("maxVerdictAge");
        Path forever =
                file(
                        "e.yaml",
                        "allowlist:\n  - id: CVE-1\n    reason: r\n    expires: +999999999-12-31\n");
        assertThatThrownBy(() -> Policy.load(forever))
                .hasMessageContaining("not a date like 2027-01-31");
        Path quoted = file("q.yaml", "maxCounts:\n  MEDIUM: \"10\"\n");
        assertThatThrownBy(() -> Policy.load(quoted)).hasMessageContaining("maxCounts");
    }

    @Test
    void devicesFifosAndHugeFilesAreRefusedBeforeTheyAreRead() throws Exception {
        assertThatThrownBy(() -> Policy.load(Path.of("/dev/zero")))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.getMessage()).contains("not a regular file"));
        Path fifo = dir.resolve("policy.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        long start = System.nanoTime();
        assertThatThrownBy(() -> Policy.load(fifo)).hasMessageContaining("not a regular file");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(java.time.Duration.ofSeconds(2));
        Path huge = dir.resolve("huge.yaml");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(50L * 1024 * 1024);
        }
        assertThatThrownBy(() -> Policy.load(huge)).hasMessageContaining("larger than");
    }

    @Test
    void maxVerdictAgeIsRead() throws IOException {
        Policy p = Policy.load(file("age.yaml", "failOn: HIGH\nmaxVerdictAge: 30d\n"));
        assertThat(p.maxVerdictAgeDuration()).contains(Duration.ofDays(30));
        assertThat(Policy.defaults().maxVerdictAgeDuration()).isEmpty();
    }

    @Test
    void maxVerdictAgeIsAWholeNumberOfMinutes() throws IOException {
        // Old: PT0.001S, PT30S and PT59S were accepted as positive durations, then shown as "0h"
        // and honoured as 1 ms..59 s.
        for (String bad : new String[] {"PT0.001S", "PT30S", "PT59S", "PT1M0.5S"}) {
            Path f = file("bad.yaml", "failOn: HIGH\nmaxVerdictAge: " + bad + "\n");
            assertThatThrownBy(() -> Policy.load(f))
                    .as(bad)
                    .isInstanceOf(ImageGateException.class)
                    .hasMessageContaining(f.toString())
                    .hasMessageContaining("maxVerdictAge \"" + bad + "\"")
                    .hasMessageContaining("whole number of minutes");
        }
        // A fraction of a minute is no ISO-8601 duration java.time reads (refused before the new
        // rule too).
        Path fraction = file("fraction.yaml", "failOn: HIGH\nmaxVerdictAge: PT1.5M\n");
        assertThatThrownBy(() -> Policy.load(fraction))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("maxVerdictAge \"PT1.5M\"");
        String[][] good = {
            {"PT90M", "PT1H30M"},
            {"36h", "PT36H"},
            {"7d", "PT168H"},
            {"PT1M", "PT1M"},
            {"PT60S", "PT1M"}
        };
        for (String[] g : good) {
            Policy p =
                    Policy.load(file("good.yaml", "failOn: HIGH\nmaxVerdictAge: " + g[0] + "\n"));
            assertThat(p.maxVerdictAgeDuration()).as(g[0]).contains(Duration.parse(g[1]));
        }
    }

    private Path publicKey(Path file) throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        byte[] der = generator.generateKeyPair().getPublic().getEncoded();
        Files.createDirectories(file.getParent());
        return Files.writeString(
                file,
                "-----BEGIN PUBLIC KEY-----\n"
                        + java.util.Base64.getMimeEncoder().encodeToString(der)
                        + "\n-----END PUBLIC KEY-----\n");
    }

    @Test
    void theSignaturesSectionNamesKeysRelativeToThePolicyFile() throws Exception {
        Path keyA = publicKey(dir.resolve("policies/keys/a.pub"));
        publicKey(dir.resolve("b.pub"));
        Policy p =
                Policy.load(
                        file(
                                "policies/strict.yaml",
                                "signatures:\n  keys: [keys/a.pub, ../b.pub, keys/a.pub]\n"));
        SignaturePolicy signatures = p.signaturePolicy().orElseThrow();
        assertThat(signatures.required()).as("required unless said otherwise").isTrue();
        assertThat(signatures.keyFiles()).containsExactly("keys/a.pub", "../b.pub", "keys/a.pub");
        // a key named twice is one key; each keeps the name the policy gives it (no machine path in
        // verdicts)
        assertThat(signatures.keys())
                .extracting(io.imagegate.trust.PublicKeys.Key::source)
                .containsExactly("keys/a.pub", "../b.pub");
        assertThat(signatures.keys().get(0).fingerprint())
                .isEqualTo(io.imagegate.trust.PublicKeys.load(keyA, "test").fingerprint());
        // the identity names the key files, as written, as a set: not their contents, nor their
        // order
        assertThat(
                        Policy.load(
                                        file(
                                                "policies/reordered.yaml",
                                                "signatures:\n  keys: [../b.pub, keys/a.pub]\n"
                                                        + "  required: true\n"))
                                .digest())
                .isEqualTo(p.digest());
        assertThat(p.fileDigest())
                .isEqualTo(
                        io.imagegate.reference.Digest.sha256(
                                        Files.readAllBytes(dir.resolve("policies/strict.yaml")))
                                .toString());
        assertThat(
                        Policy.load(
                                        file(
                                                "lenient.yaml",
                                                "signatures:\n  required: false\n  keys: [b.pub]\n"))
                                .signaturePolicy()
                                .orElseThrow()
                                .required())
                .isFalse();
        assertThat(Policy.defaults().signaturePolicy()).isEmpty();
        assertThat(Policy.load(file("none.yaml", "failOn: HIGH\n")).signaturePolicy()).isEmpty();
    }

    @Test
    void aSignaturesSectionThatCannotBeCheckedIsRefused() throws Exception {
        publicKey(dir.resolve("ok.pub"));
        Path missing = file("missing-key.yaml", "signatures:\n  keys: [nowhere.pub]\n");
        assertThatThrownBy(() -> Policy.load(missing))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.message().code()).isEqualTo("key.missing");
                            assertThat(e.getMessage())
                                    .contains("nowhere.pub")
                                    .contains("signatures.keys[0]")
                                    .contains("missing-key.yaml");
                        });
        Files.writeString(
                dir.resolve("private.key"),
                "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n-----END ENCRYPTED SIGSTORE"
                        + " PRIVATE KEY-----\n");
        Path privateKey = file("private.yaml", "signatures:\n  keys: [ok.pub, private.key]\n");
        assertThatThrownBy(() -> Policy.load(privateKey))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.message().code()).isEqualTo("key.not-pem"));
        Path noKeys = file("no-keys.yaml", "signatures:\n  required: true\n");
        assertThatThrownBy(() -> Policy.load(noKeys))
                .hasMessageContaining("key signatures")
                .hasMessageContaining("needs keys");
        Path emptyKeys = file("empty-keys.yaml", "signatures:\n  keys: []\n");
        assertThatThrownBy(() -> Policy.load(emptyKeys)).hasMessageContaining("needs keys");
        Path blank = file("blank.yaml", "signatures:\n  keys: [ok.pub, \"\"]\n");
        assertThatThrownBy(() -> Policy.load(blank)).hasMessageContaining("empty entry");
        Path unknown = file("unknown.yaml", "signatures:\n  keys: [ok.pub]\n  identity: someone\n");
        assertThatThrownBy(() -> Policy.load(unknown))
                .hasMessageContaining("unknown key \"identity\"")
                .hasMessageContaining("signatures: required, keys");
        Path internal =
                file("internal.yaml", "signatures:\n  keys: [ok.pub]\n  keyFiles: [ok.pub]\n");
        assertThatThrownBy(() -> Policy.load(internal))
                .hasMessageContaining("unknown key \"keyFiles\"");
        Path notBoolean = file("yes.yaml", "signatures:\n  required: \"yes\"\n  keys: [ok.pub]\n");
        assertThatThrownBy(() -> Policy.load(notBoolean)).hasMessageContaining("required");
        Path duplicate =
                file(
                        "dup-sig.yaml",
                        "signatures:\n  required: true\n  required: false\n  keys: [ok.pub]\n");
        assertThatThrownBy(() -> Policy.load(duplicate))
                .hasMessageContaining("duplicate key \"required\"");
        Path scalar = file("scalar.yaml", "signatures: ok.pub\n");
        assertThatThrownBy(() -> Policy.load(scalar))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("signatures");
    }

    @Test
    void theKeylessSectionNamesATrustedRootAndIdentitiesEachWithSubjectAndIssuer()
            throws Exception {
        new io.imagegate.testing.SigstoreTestStack()
                .writeTrustedRoot(
                        Files.createDirectories(dir.resolve("sigstore")).resolve("root.json"));
        Policy p =
                Policy.load(
                        file(
                                "keyless.yaml",
                                """
                signatures:
                  keyless:
                    trustedRoot: sigstore/root.json
                    identities:
                      - subject: https://github.com/acme/base/.github/workflows/release.yml@refs/heads/main
                        issuer: https://token.actions.githubusercontent.com
                      - subjectRegExp: '^https://github\\.com/acme/.*$'
                        issuerRegExp: 'https://token\\.actions\\..*'
                """));
        SignaturePolicy signatures = p.signaturePolicy().orElseThrow();
        assertThat(signatures.keys()).isEmpty();
        assertThat(signatures.trust().identities())
                .extracting(Object::toString)
                .containsExactly(
                        "subject https://github.com/acme/base/.github/workflows/release.yml@refs/heads/main from https://token.actions.githubusercontent.com",
                        "subject ~^https://github\\.com/acme/.*$ from ~https://token\\.actions\\..*");
        assertThat(signatures.trust().keyless().orElseThrow().root().authorities()).hasSize(1);
    }

    @Test
    void aKeylessSectionThatCannotBeCheckedIsRefused() throws Exception {
        new io.imagegate.testing.SigstoreTestStack().writeTrustedRoot(dir.resolve("root.json"));
        String identity =
                "      - subject: a@example.com\n        issuer: https://accounts.google.com\n";
        Path noRoot =
                file(
                        "no-root.yaml",
                        "signatures:\n  keyless:\n    trustedRoot: nowhere.json\n    identities:\n"
                                + identity);
        assertThatThrownBy(() -> Policy.load(noRoot))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.message().code()).isEqualTo("trusted-root.missing");
                            assertThat(e.getMessage())
                                    .contains("nowhere.json")
                                    .contains("signatures.keyless.trustedRoot");
                        });
        Files.writeString(dir.resolve("not-root.json"), "{\"mediaType\": \"application/json\"}");
        Path notRoot =
                file(
                        "not-root.yaml",
                        "signatures:\n  keyless:\n    trustedRoot: not-root.json\n    identities:\n"
                                + identity);
        assertThatThrownBy(() -> Policy.load(notRoot))
                .hasMessageContaining("is not a Sigstore trusted root");
        Path noIdentities =
                file(
                        "no-ids.yaml",
                        "signatures:\n  keyless:\n    trustedRoot: root.json\n    identities: []\n");
        assertThatThrownBy(() -> Policy.load(noIdentities))
                .hasMessageContaining("needs identities");
        Path noIssuer =
                file(
                        "no-issuer.yaml",
                        "signatures:\n  keyless:\n    trustedRoot: root.json\n    identities:\n"
                                + "      - subject: a@example.com\n");
        assertThatThrownBy(() -> Policy.load(noIssuer))
                .hasMessageContaining("exactly one of issuer and issuerRegExp");
        Path both =
                file(
                        "both.yaml",
                        "signatures:\n  keyless:\n    trustedRoot: root.json\n    identities:\n"
                                + "      - subject: a@example.com\n        subjectRegExp: .*\n        issuer: x\n");
        assertThatThrownBy(() -> Policy.load(both))
                .hasMessageContaining("exactly one of subject and subjectRegExp");
        Path badRegExp =
                file(
                        "bad-re.yaml",
                        "signatures:\n  keyless:\n    trustedRoot: root.json\n    identities:\n"
                                + "      - subjectRegExp: \"(\"\n        issuer: x\n");
        assertThatThrownBy(() -> Policy.load(badRegExp))
                .hasMessageContaining("is not a regular expression");
        Path unknown =
                file(
                        "unknown-id.yaml",
                        "signatures:\n  keyless:\n    trustedRoot: root.json\n    identities:\n"
                                + identity
                                + "        workflow: release\n");
        assertThatThrownBy(() -> Policy.load(unknown))
                .hasMessageContaining("unknown key \"workflow\"");
    }

    @Test
    void theKeylessExampleInTheDocsIsAValidPolicy() throws Exception {
        String text =
                Files.readString(
                        io.imagegate.testing.FixtureVulnerabilityDb.projectRoot()
                                .resolve("docs/vetting.md"));
        int start = text.indexOf("```yaml\nsignatures:\n  keyless:") + "```yaml\n".length();
        assertThat(start).isGreaterThan("```yaml\n".length());
        new io.imagegate.testing.SigstoreTestStack()
                .writeTrustedRoot(dir.resolve("trusted_root.json"));
        Policy p =
                Policy.load(
                        file(
                                "keyless-example.yaml",
                                text.substring(start, text.indexOf("```", start))));
        assertThat(p.signaturePolicy().orElseThrow().trust().identities()).hasSize(2);
    }

    @Test
    void theSignaturesExampleInTheDocsIsAValidPolicy() throws Exception {
        for (String doc : List.of("docs/scan.md", "docs/vetting.md")) {
            String text =
                    Files.readString(
                            io.imagegate.testing.FixtureVulnerabilityDb.projectRoot().resolve(doc));
            int start = text.indexOf("```yaml\nsignatures:") + "```yaml\n".length();
            assertThat(start).as(doc).isGreaterThan("```yaml\n".length());
            publicKey(dir.resolve("upstream.pub"));
            Policy p =
                    Policy.load(
                            file(
                                    "signatures-example.yaml",
                                    text.substring(start, text.indexOf("```", start))));
            assertThat(p.signaturePolicy().orElseThrow().required()).as(doc).isTrue();
            assertThat(p.signaturePolicy().orElseThrow().keyFiles())
                    .as(doc)
                    .containsExactly("upstream.pub");
        }
    }

    private static final String BASE =
            """
            failOn: HIGH
            maxCounts:
              MEDIUM: 10
              LOW: 100
            maxDbAge: 7d
            allowlist:
              - id: CVE-2099-0001
                package: openssl
                reason: not reachable in our use
                expires: 2099-12-31
              - id: CVE-2099-0002
                image: "registry.example.com/base/*"
                reason: patched in our fork
                expires: 2098-06-30
            allowEmptyScan:
              - image: "registry.example.com/base/dockerfile*"
                reason: a static binary
            """;

    private String digestOf(String name, String text) throws IOException {
        return Policy.load(file(name, text)).digest();
    }

    /**
     * A policy's identity is its meaning: comments, CRLF line endings, key order, JSON for YAML,
     * the case of a severity, another spelling of a duration, defaults written out, a glob of only
     * {@code *} for none, and the order of set-like lists leave it as it is.
     */
    @Test
    void theIdentityIsTheMeaningNotTheBytes() throws IOException {
        String base = digestOf("base.yaml", BASE);
        assertThat(base)
                .startsWith("sha256:")
                .isNotEqualTo(Policy.load(dir.resolve("base.yaml")).fileDigest());
        assertThat(digestOf("comment.yaml", "# reviewed by security, 2025\n" + BASE + "# end\n"))
                .isEqualTo(base);
        assertThat(digestOf("crlf.yaml", BASE.replace("\n", "\r\n"))).isEqualTo(base);
        assertThat(
                        digestOf(
                                "reordered.yaml",
                                """
                allowEmptyScan: [{reason: a static binary, image: "registry.example.com/base/dockerfile**"}]
                allowlist:
                  - expires: 2098-06-30
                    reason: patched in our fork
                    image: "registry.example.com/base/*"
                    id: CVE-2099-0002
                  - id: CVE-2099-0001
                    package: openssl
                    image: "*"
                    reason: not reachable in our use
                    expires: 2099-12-31
                  - id: CVE-2099-0001
                    package: openssl
                    reason: not reachable in our use
                    expires: 2099-12-31
                maxCounts: {low: 100, medium: 10}
                maxDbAge: P7D
                failOn: high
                ignoreUnfixed: false
                verdictKeys: []
                """))
                .isEqualTo(base);
        assertThat(
                        digestOf(
                                "policy.json",
                                """
                {"failOn": "HIGH", "maxDbAge": "168h", "maxCounts": {"LOW": 100, "MEDIUM": 10},
                 "allowEmptyScan": [{"image": "registry.example.com/base/dockerfile*", "reason": "a static binary"}],
                 "allowlist": [
                   {"id": "CVE-2099-0002", "image": "registry.example.com/base/*", "reason": "patched in our fork", "expires": "2098-06-30"},
                   {"id": "CVE-2099-0001", "package": "openssl", "reason": "not reachable in our use", "expires": "2099-12-31"}]}
                """))
                .isEqualTo(base);
        // the default policy, written out or not
        assertThat(digestOf("default.yaml", "# our policy\nfailOn: high\nallowEmptyScan: false\n"))
                .isEqualTo(Policy.defaults().digest());
        assertThat(Policy.defaults().fileDigest())
                .as("what identified the default policy before")
                .isEqualTo(io.imagegate.reference.Digest.sha256("failOn: HIGH\n").toString());
    }

    /** Any change of what the policy decides is another policy. */
    @Test
    void aChangeOfMeaningIsAnotherIdentity() throws IOException {
        String base = digestOf("base.yaml", BASE);
        java.util.Map<String, String> changes = new java.util.LinkedHashMap<>();
        changes.put("stricter threshold", BASE.replace("failOn: HIGH", "failOn: MEDIUM"));
        changes.put(
                "new allowlist entry",
                BASE.replace(
                        "allowEmptyScan:",
                        "  - id: CVE-2099-0003\n    reason: r\n    expires: 2099-01-01\nallowEmptyScan:"));
        changes.put("another expiry", BASE.replace("2099-12-31", "2099-12-30"));
        changes.put("another reason", BASE.replace("patched in our fork", "patched upstream"));
        changes.put("another image glob", BASE.replace("base/*", "base/app*"));
        changes.put("a count", BASE.replace("MEDIUM: 10", "MEDIUM: 9"));
        changes.put("a DB age", BASE.replace("maxDbAge: 7d", "maxDbAge: 8d"));
        changes.put("a verdict age", BASE + "maxVerdictAge: 30d\n");
        changes.put("unfixed ignored", BASE + "ignoreUnfixed: true\n");
        changes.put(
                "every empty scan",
                BASE.replaceAll("(?s)allowEmptyScan:.*", "allowEmptyScan: true\n"));
        changes.put("no empty scan", BASE.replaceAll("(?s)allowEmptyScan:.*", ""));
        changes.put("verdict keys", BASE + "verdictKeys: [org.pub]\n");
        java.util.Set<String> seen = new java.util.HashSet<>(java.util.List.of(base));
        int i = 0;
        for (java.util.Map.Entry<String, String> change : changes.entrySet()) {
            String digest = digestOf("changed" + i++ + ".yaml", change.getValue());
            assertThat(seen.add(digest)).as(change.getKey()).isTrue();
        }
    }

    /**
     * The canonical text carries its form's version and is itself no policy file, so the digest of
     * a policy file's bytes (what verdicts recorded before) never equals a canonical digest.
     */
    @Test
    void theCanonicalFormIsVersionedAndNoPolicyFile() throws IOException {
        Policy p = Policy.load(file("base.yaml", BASE));
        String text = CanonicalPolicy.text(p);
        assertThat(text)
                .contains("\"canonical\":\"imagegate-policy-canonical/v1\"")
                .contains("\"maxDbAge\":\"PT168H\"")
                .doesNotContain("\n");
        assertThat(p.digest())
                .isEqualTo(
                        io.imagegate.reference.Digest.sha256(
                                        text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                                .toString());
        Path asFile = file("canonical.json", text);
        assertThatThrownBy(() -> Policy.load(asFile)).isInstanceOf(ImageGateException.class);
        // a file cannot claim an identity: such a key is not read
        for (String claim : List.of("digest", "fileDigest")) {
            Path claiming =
                    file(claim + ".yaml", "failOn: HIGH\n" + claim + ": " + p.digest() + "\n");
            assertThat(Policy.load(claiming).digest())
                    .as(claim)
                    .isEqualTo(Policy.defaults().digest());
        }
        // the identity counts verdicts under the canonical digest and, from before, the file's
        PolicyIdentity identity = p.identity();
        assertThat(identity.matches(p.digest())).isTrue();
        assertThat(identity.matches(p.fileDigest())).isTrue();
        assertThat(identity.matches(Policy.defaults().digest())).isFalse();
        assertThat(identity.matches("")).isFalse();
    }

    @Test
    void allowEmptyScanIsTrueFalseOrAListOfImagesWithReasons() throws IOException {
        Policy p = Policy.load(file("p.yaml", BASE));
        assertThat(p.allowsEmptyScan()).isFalse();
        assertThat(p.emptyScans().entries())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.imagePattern())
                                    .isEqualTo("registry.example.com/base/dockerfile*");
                            assertThat(e.reason()).isEqualTo("a static binary");
                            assertThat(e.expires()).isNull();
                        });
        Path noReason = file("r.yaml", "allowEmptyScan:\n  - image: \"a/*\"\n");
        assertThatThrownBy(() -> Policy.load(noReason))
                .hasMessageContaining("key allowEmptyScan[0]")
                .hasMessageContaining("missing key \"reason\"");
        Path noImage = file("i.yaml", "allowEmptyScan:\n  - reason: static\n");
        assertThatThrownBy(() -> Policy.load(noImage)).hasMessageContaining("image");
        Path unknown =
                file("u.yaml", "allowEmptyScan:\n  - image: a\n    reason: r\n    id: CVE-1\n");
        assertThatThrownBy(() -> Policy.load(unknown)).hasMessageContaining("unknown key \"id\"");
        Path date =
                file("d.yaml", "allowEmptyScan:\n  - image: a\n    reason: r\n    expires: soon\n");
        assertThatThrownBy(() -> Policy.load(date))
                .hasMessageContaining("expires \"soon\", which is not a date");
        Path map = file("m.yaml", "allowEmptyScan: {image: a, reason: r}\n");
        assertThatThrownBy(() -> Policy.load(map))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("key allowEmptyScan")
                .hasMessageContaining("true, false, or a list");
    }
}
