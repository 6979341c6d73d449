// Command trivy-fixture-db writes a small Trivy vulnerability database (schema 2) for imagegate's tests,
// which run without internet: <out>/db/trivy.db (bbolt) and <out>/db/metadata.json.
//
// Layout, as Trivy reads it: one bucket per advisory source ("alpine 3.22", "debian 12") holding a bucket
// per (source) package name whose keys are vulnerability IDs and whose values are advisories
// ({"FixedVersion": ...}); a "vulnerability" bucket of vulnerability details; a "data-source" bucket
// naming each advisory source.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

type advisory struct {
	Source, Package, ID, Fixed, Severity, Title string
}

// The fixture advisories. Tests assert against exactly these.
var advisories = []advisory{
	{"alpine 3.22", "openssl", "CVE-2099-0001", "3.5.1-r0", "CRITICAL", "openssl: fixture critical flaw"},
	{"alpine 3.22", "openssl", "CVE-2099-0002", "3.5.2-r0", "MEDIUM", "openssl: fixture medium flaw"},
	{"alpine 3.22", "zlib", "CVE-2099-0003", "1.3.1-r5", "HIGH", "zlib: fixture high flaw"},
	{"alpine 3.22", "busybox", "CVE-2099-0004", "1.37.0-r20", "LOW", "busybox: fixture low flaw"},
	{"debian 12", "openssl", "CVE-2099-1001", "3.0.15-1~deb12u1", "HIGH", "openssl: fixture debian flaw"},
	{"debian 12", "bash", "CVE-2099-1002", "", "HIGH", "bash: fixture flaw without a fix"},
	{"debian 12", "zlib", "CVE-2099-1003", "1:1.2.13.dfsg-1+deb12u1", "MEDIUM", "zlib: fixture debian flaw"},
}

var dataSources = map[string]map[string]string{
	"alpine 3.22": {"ID": "alpine", "Name": "Alpine Secdb (imagegate fixture)", "URL": "https://secdb.alpinelinux.org/"},
	"debian 12":   {"ID": "debian", "Name": "Debian Security Tracker (imagegate fixture)", "URL": "https://salsa.debian.org/security-tracker-team/security-tracker"},
}

var severityNumber = map[string]int{"UNKNOWN": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3, "CRITICAL": 4}

func main() {
	out := flag.String("out", "", "cache directory to write (Trivy's --cache-dir); the DB goes to <out>/db")
	updatedAt := flag.String("updated-at", "", "RFC 3339 time the DB claims it was updated (default: now)")
	without := flag.String("without", "", "comma-separated advisory IDs left out: a DB from before they were published")
	flag.Parse()
	omitted := map[string]bool{}
	for _, id := range strings.Split(*without, ",") {
		if id != "" {
			omitted[id] = true
		}
	}
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: trivy-fixture-db -out DIR [-updated-at 2026-01-02T15:04:05Z]")
		os.Exit(2)
	}
	updated := time.Now().UTC()
	if *updatedAt != "" {
		t, err := time.Parse(time.RFC3339, *updatedAt)
		if err != nil {
			fail(fmt.Errorf("-updated-at: %w", err))
		}
		updated = t.UTC()
	}
	dir := filepath.Join(*out, "db")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(err)
	}
	dbPath := filepath.Join(dir, "trivy.db")
	_ = os.Remove(dbPath)
	db, err := bolt.Open(dbPath, 0o644, nil)
	if err != nil {
		fail(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		sources, err := tx.CreateBucketIfNotExists([]byte("data-source"))
		if err != nil {
			return err
		}
		for name, source := range dataSources {
			if err := put(sources, name, source); err != nil {
				return err
			}
		}
		vulns, err := tx.CreateBucketIfNotExists([]byte("vulnerability"))
		if err != nil {
			return err
		}
		for _, a := range advisories {
			if omitted[a.ID] {
				continue
			}
			root, err := tx.CreateBucketIfNotExists([]byte(a.Source))
			if err != nil {
				return err
			}
			pkg, err := root.CreateBucketIfNotExists([]byte(a.Package))
			if err != nil {
				return err
			}
			adv := map[string]any{}
			if a.Fixed != "" {
				adv["FixedVersion"] = a.Fixed
			}
			if err := put(pkg, a.ID, adv); err != nil {
				return err
			}
			vendor := dataSources[a.Source]["ID"]
			detail := map[string]any{
				"Title":          a.Title,
				"Description":    "A vulnerability that exists only in imagegate's test fixtures.",
				"Severity":       a.Severity,
				"VendorSeverity": map[string]int{vendor: severityNumber[a.Severity]},
				"CVSS":           map[string]any{"nvd": map[string]any{"V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "V3Score": 9.8}},
				"References":     []string{"https://example.invalid/" + a.ID},
				"PublishedDate":  "2099-01-01T00:00:00Z",
			}
			if err := put(vulns, a.ID, detail); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		fail(err)
	}
	if err := db.Close(); err != nil {
		fail(err)
	}
	meta := map[string]any{
		"Version":      2,
		"NextUpdate":   updated.Add(24 * time.Hour).Format(time.RFC3339Nano),
		"UpdatedAt":    updated.Format(time.RFC3339Nano),
		"DownloadedAt": updated.Format(time.RFC3339Nano),
	}
	b, _ := json.Marshal(meta)
	if err := os.WriteFile(filepath.Join(dir, "metadata.json"), b, 0o644); err != nil {
		fail(err)
	}
}

func put(bucket *bolt.Bucket, key string, value any) error {
	b, err := json.Marshal(value)
	if err != nil {
		return err
	}
	return bucket.Put([]byte(key), b)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "trivy-fixture-db:", err)
	os.Exit(1)
}
