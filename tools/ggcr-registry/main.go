// Command ggcr-registry serves go-containerregistry's in-memory registry (pkg/registry, the pinned
// github.com/google/go-containerregistry module) with the OCI 1.1 referrers API switched on
// (registry.WithReferrersSupport(true)). It is a second registry implementation, independent of the CNCF
// distribution registry the other tests run, that serves GET /v2/<name>/referrers/<digest>, so imagegate's
// readers of referrers are tested against a server the project did not write (GgcrRegistry, GgcrRegistryTest).
//
// Usage: ggcr-registry [-addr 127.0.0.1:0] [-exit-on-stdin-eof]. The address must be a loopback one; with port 0
// the kernel picks a free port. The first line on stdout is "listening 127.0.0.1:PORT", the address actually
// bound, written once the listener accepts connections. Requests are logged to stderr. Storage is memory only:
// everything is gone when the process exits. With -exit-on-stdin-eof the process exits when its stdin closes,
// so a registry whose parent died (a killed JVM) does not outlive it.
//
// Quirks of its referrers API (pkg/registry/manifest.go, handleReferrers, v0.22.1), which tests must expect:
//   - a descriptor's artifactType is the referrer's config.mediaType; the manifest's own artifactType field is
//     never read (an artifact with an empty config reports application/vnd.oci.empty.v1+json);
//   - the artifactType query parameter is ignored (a TODO there): every referrer is listed, and no
//     OCI-Filters-Applied header is sent;
//   - a PUT of a manifest with a subject answers with no OCI-Subject header (the manifest PUT handler sets only
//     Docker-Content-Digest), so a client may conclude it must maintain the referrers tag schema itself;
//   - a repository that holds no manifest at all answers 404 NAME_UNKNOWN rather than an empty index;
//   - a descriptor's mediaType is the Content-Type the manifest was pushed with, and the list's order is
//     unspecified (a Go map's); there is no pagination.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on; port 0 picks a free port")
	exitOnEOF := flag.Bool("exit-on-stdin-eof", false, "exit when stdin is closed (the parent process is gone)")
	flag.Parse()

	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		log.Fatalf("ggcr-registry: -addr %q: %v", *addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		log.Fatalf("ggcr-registry: -addr %q: only a loopback IP address is allowed (a test registry has no authentication)", *addr)
	}
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("ggcr-registry: %v", err)
	}
	if *exitOnEOF {
		go func() {
			io.Copy(io.Discard, os.Stdin)
			os.Exit(0)
		}()
	}
	fmt.Printf("listening %s\n", listener.Addr())
	handler := registry.New(registry.WithReferrersSupport(true), registry.Logger(log.New(os.Stderr, "", log.LstdFlags)))
	log.Fatal(http.Serve(listener, handler))
}
