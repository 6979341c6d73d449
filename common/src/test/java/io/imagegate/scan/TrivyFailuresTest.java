package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import org.junit.jupiter.api.Test;

/**
 * The failure rules against Trivy 0.74.0's own stderr, as captured from real runs against the
 * distribution registry, a trivy server and caches built by the project (the runs themselves are in
 * TrivyTest; these pin the table's order: every image error begins "unable to find the specified
 * image", whatever went wrong).
 */
class TrivyFailuresTest {
    private static final String PREFIX =
            "2026-12-06T15:40:10Z\tFATAL\tFatal error\trun error: image scan error: scan error: unable to"
                    + " initialize a scan service: unable to initialize artifact: unable to initialize container image: unable to find the"
                    + " specified image \"127.0.0.1:5077/x/y@sha256:0000000000000000000000000000000000000000000000000000000000000000\" in"
                    + " [\"remote\"]: 1 error occurred:\n";

    private static ImageGateException classify(String stderr) {
        return TrivyFailures.classify("the image", new BoundedProcess.Outcome(1, "", stderr));
    }

    private static void assertKind(String stderr, ErrorKind kind, String code) {
        ImageGateException e = classify(stderr);
        assertThat(e.kind()).as(stderr).isEqualTo(kind);
        assertThat(e.message().code()).as(stderr).isEqualTo(code);
    }

    @Test
    void aMissingImage() {
        assertKind(
                PREFIX
                        + "\t* remote error: GET http://127.0.0.1:5077/v2/x/y/manifests/sha256:00: MANIFEST_UNKNOWN: manifest unknown;"
                        + " map[Name:x/y Revision:sha256:00]\n\n",
                ErrorKind.NOT_FOUND,
                "trivy.not-found");
    }

    @Test
    void aRegistryThatRefusesTheCredentials() {
        assertKind(
                PREFIX
                        + "\t* remote error: GET http://127.0.0.1:38885/v2/fx/alpine/manifests/sha256:45: UNAUTHORIZED: authentication"
                        + " required; [map[Action:pull Class: Name:fx/alpine Type:repository]]\n",
                ErrorKind.AUTHENTICATION,
                "trivy.auth");
    }

    @Test
    void anUnreachableRegistry() {
        assertKind(
                PREFIX
                        + "\t* remote error: Get \"https://127.0.0.1:5078/v2/\": dial tcp 127.0.0.1:5078: connect: connection refused;"
                        + " Get \"http://127.0.0.1:5078/v2/\": dial tcp 127.0.0.1:5078: connect: connection refused\n",
                ErrorKind.TRANSIENT,
                "trivy.unreachable");
    }

    @Test
    void aMissingOrBrokenDbIsNeverAMissingImage() {
        assertKind(
                "2026-12-06T15:40:03Z\tFATAL\tFatal error\trun error: init error: DB error: database error: --skip-db-update cannot"
                        + " be specified on the first run\n",
                ErrorKind.TOOL_FAILURE,
                "trivy.db");
        assertKind(
                "2026-12-06T15:40:07Z\tFATAL\tFatal error\trun error: init error: DB error: error in vulnerability DB initialize:"
                        + " failed to open db: invalid database\n",
                ErrorKind.TOOL_FAILURE,
                "trivy.db");
    }

    @Test
    void aTrivyServerThatRefusesTheToken() {
        assertKind(
                "2026-12-06T15:41:00Z\tFATAL\tFatal error\trun error: image scan error: scan error: scan failed: failed analysis:"
                        + " unable to get missing layers: unable to fetch missing layers: backoff: permanent error (last error: twirp error"
                        + " unauthenticated: invalid token)\n",
                ErrorKind.AUTHENTICATION,
                "trivy.server-token");
    }

    @Test
    void anythingElseIsAToolFailureInTrivysWords() {
        ImageGateException e =
                classify("2026-12-06T15:41:00Z\tFATAL\tFatal error\tsomething new went wrong\n");
        assertThat(e.kind()).isEqualTo(ErrorKind.TOOL_FAILURE);
        assertThat(e.message().code()).isEqualTo("trivy.failed");
        assertThat(e.message().toString()).contains("something new went wrong");
    }
}
