package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.finding.Severity;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.policy.PolicyIdentity;
import io.imagegate.reference.Digest;
import io.imagegate.vetting.VerdictLookup.Answer;
import io.imagegate.vetting.VerdictLookup.Found;
import io.imagegate.vetting.VerdictLookup.Recorded;
import io.imagegate.vetting.VerdictLookup.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The rules by which {@link VerdictLookup#decide} vets an image digest, on synthetic verdicts:
 * documents written as JSON and parsed as a registry's would be, manifests made by {@link
 * VerdictArtifact#of} (or forged from one), read through {@link VerdictLookup#recorded} as a lookup
 * reads them.
 *
 * <p>Before 877f55b the newest verdict by its claimed date decided alone, from its annotations: its
 * document was never read, no verdict superseded another, a date in the future counted (and was
 * "young" for any maximum age), and allowlist expiry was not checked. The comments say which of
 * these each test would have caught.
 */
class VerdictDecisionTest {
    private static final Digest SUBJECT =
            Digest.sha256("the manifest of registry.example.com/base/app:1");
    private static final String POLICY = Digest.sha256("failOn: HIGH\n").toString();
    private static final String OTHER_POLICY = Digest.sha256("failOn: CRITICAL\n").toString();
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Optional<PolicyIdentity> UNDER_POLICY =
            Optional.of(PolicyIdentity.of(POLICY));
    private static final Optional<Duration> ANY_AGE = Optional.empty();

    // ---- building verdicts
    // -------------------------------------------------------------------------------------------

    /**
     * A verdict document as JSON, to be edited by a test before it is read; a FAIL lists a failing
     * HIGH finding.
     */
    private static ObjectNode document(String verdict, Instant created, Digest... supersedes) {
        boolean pass = verdict.equals("PASS");
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schemaVersion", 1);
        root.put("mediaType", VerdictDocument.MEDIA_TYPE);
        root.put("verdict", verdict);
        ObjectNode subject = root.putObject("subject");
        subject.put("name", "registry.example.com/base/app:1");
        subject.put("digest", SUBJECT.toString());
        subject.put("mediaType", MediaTypes.OCI_MANIFEST);
        root.put("source", "docker.io/library/app:1");
        root.putObject("policy").put("digest", POLICY);
        root.putObject("scanner").put("name", "Trivy").put("version", "0.58.0");
        root.put("created", created.toString());
        root.put("quarantine", "quarantine/base/app");
        ArrayNode replaced = root.putArray("supersedes");
        for (Digest d : supersedes) {
            replaced.add(d.toString());
        }
        ObjectNode platform = root.putArray("platforms").addObject();
        platform.put("digest", Digest.sha256("the linux/amd64 manifest").toString());
        platform.put("platform", "linux/amd64");
        platform.put("verdict", verdict);
        counts(platform.putObject("counts"), pass ? Severity.MEDIUM : Severity.HIGH);
        ArrayNode reasons = platform.putArray("reasons");
        if (!pass) {
            reasons.add("1 HIGH finding fails the policy (failOn HIGH)");
        }
        ObjectNode finding = platform.putArray("findings").addObject();
        finding.put("id", "CVE-2026-0001");
        finding.put("package", "openssl");
        finding.put("installedVersion", "3.0.1");
        finding.put("severity", pass ? "MEDIUM" : "HIGH");
        finding.put("judgement", pass ? "below-threshold" : "failing");
        counts(root.putObject("counts"), pass ? Severity.MEDIUM : Severity.HIGH);
        root.putArray("allowlisted");
        return root;
    }

    private static void counts(ObjectNode counts, Severity one) {
        for (Severity s : Severity.values()) {
            counts.put(s.name(), s == one ? 1 : 0);
        }
    }

    /**
     * Adds a finding let through by an allowlist entry that expires on {@code expires}, as a vet
     * writes it.
     */
    private static ObjectNode allowlisted(ObjectNode document, String expires) {
        ObjectNode finding =
                ((ArrayNode) document.get("platforms").get(0).get("findings")).addObject();
        finding.put("id", "CVE-2026-0002");
        finding.put("package", "zlib");
        finding.put("installedVersion", "1.3");
        finding.put("severity", "CRITICAL");
        finding.put("judgement", "allowlisted");
        finding.put("reason", "patched in our fork");
        ObjectNode entry = ((ArrayNode) document.get("allowlisted")).addObject();
        entry.put("id", "CVE-2026-0002");
        entry.put("package", "zlib");
        entry.put("platform", "linux/amd64");
        entry.put("reason", "patched in our fork");
        entry.put("expires", expires);
        return document;
    }

    private static byte[] bytes(ObjectNode json) {
        try {
            return Json.MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static VerdictDocument parse(ObjectNode json) {
        return VerdictDocument.parse(bytes(json), SUBJECT, "test");
    }

    /** The verdict artifact's manifest for a document, as a vet pushes it. */
    private static Manifest manifest(VerdictDocument document) {
        return VerdictArtifact.of(new Descriptor(MediaTypes.OCI_MANIFEST, SUBJECT, 1234), document)
                .manifest();
    }

    /** A verdict recorded as a vet records it: manifest and document agree. */
    private static Recorded recorded(ObjectNode json) {
        VerdictDocument document = parse(json);
        return VerdictLookup.recorded(manifest(document), "base/app", () -> document);
    }

    /**
     * A verdict whose manifest's annotations were rewritten after it was made (the document is the
     * one it carries).
     */
    private static Recorded forged(ObjectNode json, Consumer<ObjectNode> annotations) {
        VerdictDocument document = parse(json);
        ObjectNode m;
        try {
            m = (ObjectNode) Json.MAPPER.readTree(manifest(document).bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        annotations.accept((ObjectNode) m.get("annotations"));
        return VerdictLookup.recorded(
                Manifest.create(m, "forged verdict"), "base/app", () -> document);
    }

    private static Answer decide(
            Optional<PolicyIdentity> policy, Optional<Duration> maxAge, Recorded... verdicts) {
        return VerdictLookup.decide(
                new Found(List.of(verdicts), List.of()), SUBJECT, policy, maxAge, NOW);
    }

    private static Answer decide(Recorded... verdicts) {
        return decide(UNDER_POLICY, ANY_AGE, verdicts);
    }

    private static void assertAnswer(Answer answer, Status status, String code) {
        assertThat(answer.status()).as(answer.reason().toString()).isEqualTo(status);
        assertThat(answer.reason().code()).isEqualTo(code);
    }

    private static Digest artifact(Recorded r) {
        return r.claim().artifact();
    }

    // ---- the baseline
    // --------------------------------------------------------------------------------------------------

    @Test
    void aPassThatAgreesWithItsDocumentVets() {
        Recorded pass = recorded(document("PASS", NOW.minus(Duration.ofHours(1))));
        assertThat(pass.validPass()).isTrue();
        Answer answer = decide(pass);
        assertAnswer(answer, Status.VETTED, "vetting.vetted");
        assertThat(answer.verdict()).contains(pass.claim());
    }

    @Test
    void noVerdictIsNoVerdict() {
        assertAnswer(decide(), Status.NO_VERDICT, "vetting.no-verdict");
        assertAnswer(decide(Optional.empty(), ANY_AGE), Status.NO_VERDICT, "vetting.no-verdict");
    }

    // ---- a FAIL stands until a PASS names it
    // -------------------------------------------------------------------------

    @Test
    void aPassDatedAnHourAheadNeitherOutranksALaterFailNorCountsAlone() {
        // Old: the newest by claimed date decided, so this PASS (dated 1 h ahead) outranked the
        // FAIL made after it: VETTED.
        Recorded future = recorded(document("PASS", NOW.plus(Duration.ofHours(1))));
        Recorded fail = recorded(document("FAIL", NOW));
        Answer answer = decide(future, fail);
        assertAnswer(answer, Status.FAILED, "vetting.failed");
        assertThat(answer.verdict().map(VerdictArtifact.Claim::artifact)).contains(artifact(fail));
        assertAnswer(decide(fail, future), Status.FAILED, "vetting.failed");
        // Alone it is not counted either: 1 h is beyond the clock skew allowed. Old: VETTED.
        assertAnswer(decide(future), Status.FUTURE, "vetting.future");
    }

    @Test
    void aPassWithinTheClockSkewCountsButDoesNotOutrankAFailItDoesNotName() {
        Recorded skewed = recorded(document("PASS", NOW.plus(Duration.ofMinutes(2))));
        assertAnswer(decide(skewed), Status.VETTED, "vetting.vetted"); // within CLOCK_SKEW: counted
        // Old: the PASS's date (2 min ahead) was newer than the FAIL's, so it decided: VETTED.
        Recorded fail = recorded(document("FAIL", NOW));
        assertAnswer(decide(skewed, fail), Status.FAILED, "vetting.failed");
        assertAnswer(decide(fail, skewed), Status.FAILED, "vetting.failed");
    }

    @Test
    void aTieBetweenAFailAndAPassIsAFail() {
        // Old: a stable sort by date left a tie to the listing order; a PASS listed first decided:
        // VETTED.
        Recorded pass = recorded(document("PASS", NOW.minus(Duration.ofHours(1))));
        Recorded fail = recorded(document("FAIL", NOW.minus(Duration.ofHours(1))));
        for (Answer answer : List.of(decide(pass, fail), decide(fail, pass))) {
            assertAnswer(answer, Status.FAILED, "vetting.failed");
            assertThat(answer.verdict().map(VerdictArtifact.Claim::artifact))
                    .contains(artifact(fail));
        }
    }

    @Test
    void aPassThatNamesTheFailSupersedesIt() {
        Recorded fail = recorded(document("FAIL", NOW.minus(Duration.ofHours(2))));
        Recorded pass = recorded(document("PASS", NOW.minus(Duration.ofHours(1)), artifact(fail)));
        Answer answer = decide(fail, pass);
        assertAnswer(answer, Status.VETTED, "vetting.vetted");
        assertThat(answer.verdict()).contains(pass.claim());
        // By name, not by date: a PASS that names the FAIL was made after it (it holds its digest),
        // whatever the FAIL's
        // clock said. Old: the FAIL, dated later, decided: FAILED.
        Recorded failDatedLater = recorded(document("FAIL", NOW.minus(Duration.ofMinutes(30))));
        Recorded naming =
                recorded(
                        document("PASS", NOW.minus(Duration.ofHours(1)), artifact(failDatedLater)));
        assertAnswer(decide(failDatedLater, naming), Status.VETTED, "vetting.vetted");
    }

    @Test
    void aFailThatNoPassNamesDecidesWhateverTheDates() {
        Recorded olderPass = recorded(document("PASS", NOW.minus(Duration.ofDays(2))));
        Recorded fail = recorded(document("FAIL", NOW.minus(Duration.ofDays(1))));
        assertAnswer(decide(olderPass, fail), Status.FAILED, "vetting.failed");
        // Old: a PASS dated after the FAIL decided (VETTED) even though it does not name the FAIL.
        Recorded newerPass = recorded(document("PASS", NOW.minus(Duration.ofHours(1))));
        assertAnswer(decide(olderPass, fail, newerPass), Status.FAILED, "vetting.failed");
        assertAnswer(decide(newerPass, fail), Status.FAILED, "vetting.failed");
        // Naming some other verdict is not naming this FAIL.
        Recorded namingTheOldPass =
                recorded(document("PASS", NOW.minus(Duration.ofMinutes(30)), artifact(olderPass)));
        assertAnswer(decide(olderPass, fail, namingTheOldPass), Status.FAILED, "vetting.failed");
    }

    @Test
    void onlyAValidPassSupersedes() {
        // A "PASS" whose document says FAIL names the FAIL: it supersedes nothing and is a FAIL
        // itself. Old: the newest
        // claimed PASS by its annotations: VETTED.
        Recorded fail = recorded(document("FAIL", NOW.minus(Duration.ofHours(2))));
        Recorded bogus =
                forged(
                        document("FAIL", NOW.minus(Duration.ofHours(1)), artifact(fail)),
                        a -> a.put(VerdictArtifact.ANNOTATION_VERDICT, "PASS"));
        assertThat(bogus.document().orElseThrow().supersedes()).contains(artifact(fail));
        assertThat(decide(fail, bogus).status()).isEqualTo(Status.FAILED);
        // ... nor through a valid PASS that supersedes the bogus one without naming the FAIL: the
        // FAIL still stands.
        Recorded later =
                recorded(document("PASS", NOW.minus(Duration.ofMinutes(30)), artifact(bogus)));
        Answer answer = decide(fail, bogus, later);
        assertAnswer(answer, Status.FAILED, "vetting.failed");
        assertThat(answer.verdict().map(VerdictArtifact.Claim::artifact)).contains(artifact(fail));
        // A PASS under another policy supersedes nothing under this one.
        ObjectNode other = document("PASS", NOW.minus(Duration.ofHours(1)), artifact(fail));
        ((ObjectNode) other.get("policy")).put("digest", OTHER_POLICY);
        assertAnswer(decide(fail, recorded(other)), Status.FAILED, "vetting.failed");
    }

    @Test
    void passesThatSupersedeOneAnotherInACircleLeaveNothingStanding() {
        // Content digests make a real circle impossible to write (each would hold the other's
        // digest), so the claims'
        // digests are chosen here; decide must still not vet. Old: no supersession, the newest
        // PASS: VETTED.
        Digest a = Digest.sha256("verdict a");
        Digest b = Digest.sha256("verdict b");
        Recorded first = withArtifact(a, document("PASS", NOW.minus(Duration.ofHours(2)), b));
        Recorded second = withArtifact(b, document("PASS", NOW.minus(Duration.ofHours(1)), a));
        assertThat(first.validPass()).isTrue();
        assertThat(second.validPass()).isTrue();
        Answer answer = decide(first, second);
        assertAnswer(answer, Status.FAILED, "vetting.none-standing");
        assertThat(answer.vetted()).isFalse();
    }

    /**
     * A recorded PASS whose claim names {@code artifact} instead of its manifest's digest;
     * otherwise as read back.
     */
    private static Recorded withArtifact(Digest artifact, ObjectNode json) {
        VerdictDocument document = parse(json);
        Manifest m = manifest(document);
        VerdictArtifact.Claim claim = VerdictArtifact.claim(artifact, m.annotations(), "base/app");
        return new Recorded(
                claim, m, Optional.of(document), VerdictLookup.disagreement(claim, document));
    }

    // ---- dates and ages
    // ----------------------------------------------------------------------------------------------

    @Test
    void aPassDatedFarAheadNeverCountsNorIsYoungEnough() {
        Recorded future = recorded(document("PASS", Instant.parse("2099-01-01T00:00:00Z")));
        // Old: dated ahead, it was the newest, and Duration.between(2099, now) is negative, so
        // "young enough": VETTED.
        assertAnswer(decide(future), Status.FUTURE, "vetting.future");
        assertAnswer(
                decide(UNDER_POLICY, Optional.of(Duration.ofDays(1)), future),
                Status.FUTURE,
                "vetting.future");
        assertAnswer(
                decide(Optional.empty(), Optional.of(Duration.ofDays(1)), future),
                Status.FUTURE,
                "vetting.future");
        // Nor does it rescue an older PASS that is too old: the newest that counts is judged. Old:
        // VETTED by the 2099 one.
        Recorded old = recorded(document("PASS", NOW.minus(Duration.ofDays(2))));
        assertAnswer(
                decide(UNDER_POLICY, Optional.of(Duration.ofDays(1)), old, future),
                Status.TOO_OLD,
                "vetting.too-old");
        // Without a maximum age the older one vets: the future one is skipped, not a FAIL.
        assertAnswer(decide(old, future), Status.VETTED, "vetting.vetted");
        // And a PASS that does not count supersedes nothing: the FAIL it names still stands.
        Recorded fail = recorded(document("FAIL", NOW.minus(Duration.ofDays(1))));
        Recorded futureOverFail =
                recorded(document("PASS", Instant.parse("2099-01-01T00:00:00Z"), artifact(fail)));
        assertAnswer(decide(old, fail, futureOverFail), Status.FAILED, "vetting.failed");
    }

    @Test
    void aPassOlderThanTheMaximumAgeIsTooOld() {
        Recorded twoDays = recorded(document("PASS", NOW.minus(Duration.ofDays(2))));
        assertAnswer(
                decide(UNDER_POLICY, Optional.of(Duration.ofDays(1)), twoDays),
                Status.TOO_OLD,
                "vetting.too-old");
        assertAnswer(
                decide(UNDER_POLICY, Optional.of(Duration.ofDays(3)), twoDays),
                Status.VETTED,
                "vetting.vetted");
        Recorded yesterday = recorded(document("PASS", NOW.minus(Duration.ofHours(23))));
        assertAnswer(
                decide(UNDER_POLICY, Optional.of(Duration.ofDays(1)), twoDays, yesterday),
                Status.VETTED,
                "vetting.vetted");
    }

    /** A PASS that rested on an allowEmptyScan entry with an end counts through that date. */
    @Test
    void anExpiredAllowEmptyScanEntryUnvetsThePassThatRestedOnIt() {
        for (String expires : List.of("2026-12-05", "2026-12-06", "soon")) {
            ObjectNode json = document("PASS", NOW.minus(Duration.ofDays(10)));
            ObjectNode platform = (ObjectNode) json.get("platforms").get(0);
            ((ArrayNode) platform.get("findings")).removeAll();
            counts((ObjectNode) platform.get("counts"), null);
            counts((ObjectNode) json.get("counts"), null);
            platform.putObject("emptyScanAllowed")
                    .put("image", "registry.example.com/base/dockerfile*")
                    .put("reason", "a static binary")
                    .put("expires", expires);
            Answer answer = decide(recorded(json));
            if (expires.equals("2026-12-06")) {
                assertAnswer(answer, Status.VETTED, "vetting.vetted");
            } else {
                assertAnswer(answer, Status.ALLOWLIST_EXPIRED, "vetting.empty-scan-expired");
            }
        }
        // without an end, it counts
        ObjectNode json = document("PASS", NOW.minus(Duration.ofDays(10)));
        ((ObjectNode) json.get("platforms").get(0))
                .putObject("emptyScanAllowed")
                .put("image", "*")
                .put("reason", "allowEmptyScan: true (every image)");
        assertAnswer(decide(recorded(json)), Status.VETTED, "vetting.vetted");
    }

    @Test
    void anExpiredAllowlistEntryUnvetsThePassThatRestedOnIt() {
        // Old: the allowlist entries a PASS rested on were never looked at: VETTED.
        Recorded expired =
                recorded(
                        allowlisted(
                                document("PASS", NOW.minus(Duration.ofDays(10))), "2026-12-05"));
        assertThat(expired.validPass()).isTrue();
        assertAnswer(decide(expired), Status.ALLOWLIST_EXPIRED, "vetting.allowlist-expired");
        // An entry is honoured through its expiry date (UTC).
        Recorded today =
                recorded(
                        allowlisted(
                                document("PASS", NOW.minus(Duration.ofDays(10))), "2026-12-06"));
        assertAnswer(decide(today), Status.VETTED, "vetting.vetted");
        Recorded unreadable =
                recorded(
                        allowlisted(document("PASS", NOW.minus(Duration.ofDays(10))), "next year"));
        assertAnswer(decide(unreadable), Status.ALLOWLIST_EXPIRED, "vetting.allowlist-expired");
    }

    // ---- a PASS whose document does not agree is a FAIL
    // --------------------------------------------------------------

    @Test
    void annotationsSayingPassOverADocumentSayingFailAreAFail() {
        // Old: only the annotations were read: VETTED.
        Recorded forged =
                forged(
                        document("FAIL", NOW.minus(Duration.ofHours(1))),
                        a -> a.put(VerdictArtifact.ANNOTATION_VERDICT, "PASS"));
        assertThat(forged.claim().passed()).isTrue();
        assertThat(forged.validPass()).isFalse();
        Answer answer = decide(forged);
        assertAnswer(answer, Status.FAILED, "vetting.not-a-pass");
        assertThat(answer.vetted()).isFalse();
    }

    @Test
    void aPassDocumentListingAFailingFindingIsNotAPass() {
        // Old: the document was not read: VETTED.
        ObjectNode json = document("PASS", NOW.minus(Duration.ofHours(1)));
        ((ObjectNode) json.get("platforms").get(0).get("findings").get(0))
                .put("judgement", "failing");
        assertAnswer(decide(recorded(json)), Status.FAILED, "vetting.not-a-pass");
    }

    @Test
    void aPassDocumentWithAFailingPlatformIsNotAPass() {
        // Old: the document was not read: VETTED.
        ObjectNode json = document("PASS", NOW.minus(Duration.ofHours(1)));
        ((ObjectNode) json.get("platforms").get(0)).put("verdict", "FAIL");
        assertAnswer(decide(recorded(json)), Status.FAILED, "vetting.not-a-pass");
        ObjectNode none = document("PASS", NOW.minus(Duration.ofHours(1)));
        none.putArray("platforms");
        assertAnswer(decide(recorded(none)), Status.FAILED, "vetting.not-a-pass");
    }

    @Test
    void annotationsNamingAnotherPolicyThanTheDocumentAreNotAPass() {
        // The document was made under OTHER_POLICY; the annotations claim POLICY, the one the gate
        // asks for. Old: VETTED.
        ObjectNode json = document("PASS", NOW.minus(Duration.ofHours(1)));
        ((ObjectNode) json.get("policy")).put("digest", OTHER_POLICY);
        Recorded forged = forged(json, a -> a.put(VerdictArtifact.ANNOTATION_POLICY, POLICY));
        assertAnswer(decide(forged), Status.FAILED, "vetting.not-a-pass");
        assertAnswer(
                decide(Optional.empty(), ANY_AGE, forged), Status.FAILED, "vetting.not-a-pass");
    }

    @Test
    void annotationsWithAnotherDateOrQuarantineThanTheDocumentAreNotAPass() {
        // A date moved forward would outrank a FAIL under the old rule, and be young enough for any
        // age. Old: VETTED.
        Recorded redated =
                forged(
                        document("PASS", NOW.minus(Duration.ofDays(30))),
                        a ->
                                a.put(
                                        VerdictArtifact.ANNOTATION_CREATED,
                                        NOW.minus(Duration.ofHours(1)).toString()));
        assertAnswer(
                decide(UNDER_POLICY, Optional.of(Duration.ofDays(1)), redated),
                Status.FAILED,
                "vetting.not-a-pass");
        Recorded undated =
                forged(
                        document("PASS", NOW.minus(Duration.ofHours(1))),
                        a -> a.remove(VerdictArtifact.ANNOTATION_CREATED));
        assertAnswer(decide(undated), Status.FAILED, "vetting.not-a-pass");
        // The quarantine decides where a lookup reads FAILs too; pointing it elsewhere hides them.
        Recorded moved =
                forged(
                        document("PASS", NOW.minus(Duration.ofHours(1))),
                        a -> a.put(VerdictArtifact.ANNOTATION_QUARANTINE, "elsewhere/base/app"));
        assertAnswer(decide(moved), Status.FAILED, "vetting.not-a-pass");
    }

    @Test
    void aPassWhoseDocumentCannotBeReadIsAFail() {
        // Old: the document was not read: VETTED.
        VerdictDocument document = parse(document("PASS", NOW.minus(Duration.ofHours(1))));
        Manifest m = manifest(document);
        ObjectNode aboutAnother = document("PASS", NOW.minus(Duration.ofHours(1)));
        ((ObjectNode) aboutAnother.get("subject"))
                .put("digest", Digest.sha256("another image").toString());
        Recorded another = VerdictLookup.recorded(m, "base/app", () -> parse(aboutAnother));
        assertThat(another.document()).isEmpty();
        assertThat(another.notAPass())
                .hasValueSatisfying(why -> assertThat(why).contains("cannot be read"));
        assertAnswer(decide(another), Status.FAILED, "vetting.not-a-pass");
        Recorded missing =
                VerdictLookup.recorded(
                        m,
                        "base/app",
                        () -> {
                            throw ImageGateException.notFound("blob.missing", "the blob is gone");
                        });
        assertThat(missing.notAPass())
                .hasValueSatisfying(why -> assertThat(why).contains("the blob is gone"));
        assertAnswer(decide(missing), Status.FAILED, "vetting.not-a-pass");
        // A registry that does not answer is no verdict about the image: the lookup fails rather
        // than decide on it.
        assertThatThrownBy(
                        () ->
                                VerdictLookup.recorded(
                                        m,
                                        "base/app",
                                        () -> {
                                            throw ImageGateException.of(
                                                    ErrorKind.TRANSIENT,
                                                    "registry.unavailable",
                                                    "no answer");
                                        }))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
    }

    @Test
    void aFailsDocumentIsNeverRead() {
        // A FAIL counts on its annotations alone: an unreadable document cannot turn it into
        // anything else.
        Manifest m = manifest(parse(document("FAIL", NOW.minus(Duration.ofHours(1)))));
        Recorded fail =
                VerdictLookup.recorded(
                        m,
                        "base/app",
                        () -> {
                            throw new AssertionError("a FAIL's document was read");
                        });
        assertThat(fail.claim().passed()).isFalse();
        assertThat(fail.claim().foundIn()).isEqualTo("base/app");
        assertAnswer(decide(fail), Status.FAILED, "vetting.failed");
    }

    // ---- policies
    // ------------------------------------------------------------------------------------------------------

    @Test
    void verdictsUnderAnotherPolicyOnlyAreOtherPolicyUnlessAnyPolicyCounts() {
        ObjectNode json = document("PASS", NOW.minus(Duration.ofHours(1)));
        ((ObjectNode) json.get("policy")).put("digest", OTHER_POLICY);
        Recorded other = recorded(json);
        assertThat(other.validPass()).isTrue();
        assertAnswer(decide(other), Status.OTHER_POLICY, "vetting.other-policy");
        assertAnswer(decide(Optional.empty(), ANY_AGE, other), Status.VETTED, "vetting.vetted");
        // Any policy means every verdict counts, FAILs under other policies too.
        ObjectNode failJson = document("FAIL", NOW.minus(Duration.ofHours(2)));
        ((ObjectNode) failJson.get("policy")).put("digest", OTHER_POLICY);
        Recorded otherFail = recorded(failJson);
        assertAnswer(
                decide(
                        Optional.empty(),
                        ANY_AGE,
                        otherFail,
                        recorded(document("PASS", NOW.minus(Duration.ofMinutes(30))))),
                Status.FAILED,
                "vetting.failed");
        // Under this policy, a FAIL under another policy is not counted.
        assertAnswer(
                decide(otherFail, recorded(document("PASS", NOW.minus(Duration.ofMinutes(30))))),
                Status.VETTED,
                "vetting.vetted");
    }
}
