#!/usr/bin/env python3
"""Times what users spend their time on beyond copying: scanning a multi-arch image, vetting many images, re-vetting
a vetted one, syncing a long list of unchanged images, and gating many Dockerfiles with vetting.

Everything runs against local CNCF distribution registries and the real Trivy with the project's fixture DB, offline.
Peers (plain `trivy image` runs) are timed in the same run, alternating, on the same images. Requests are counted
from the registries' access logs; memory is the peak RSS GNU time reports."""
import argparse
import datetime
import glob
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import bench
import localregistry  # bench put scripts/ on the path

ROOT = bench.ROOT
IMAGEGATE = os.path.join(ROOT, "bin", "imagegate")


def fixture_db():
    cache = os.path.join(ROOT, ".cache", "bench-trivy")
    metadata = os.path.join(cache, "db", "metadata.json")
    if not os.path.exists(metadata) or time.time() - os.path.getmtime(metadata) > 12 * 3600:
        subprocess.run(["go", "run", ".", "-out", cache], cwd=os.path.join(ROOT, "tools", "trivy-fixture-db"), check=True)
    return cache


def trivy_args(cache):
    return ["--cache-dir", cache, "--skip-db-update", "--skip-java-db-update", "--offline-scan"]


def peer_args(cache):
    """A plain Trivy run as on a new image: its layer analyses are not cached from an earlier run of the benchmark
    (with the file cache, every run after the first would find them and skip the work a first scan does)."""
    return trivy_args(cache) + ["--cache-backend", "memory"]


LAST_CPU = [0.0]  # CPU seconds (user and system) of the last run_timed command


def run_timed(cmd, env=None, expect=(0,)):
    out = tempfile.NamedTemporaryFile(delete=False)
    out.close()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name] + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                       text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if r.returncode not in expect:
        raise SystemExit("%s failed (%d): %s" % (" ".join(cmd[:3]), r.returncode, (r.stderr + r.stdout)[-3000:]))
    with open(out.name) as f:
        rss = int(f.read().strip().splitlines()[-1])
    os.unlink(out.name)
    return wall, rss, r.stdout


def trivy_single(cache, image_ref):
    """One plain Trivy run, as a user would start it (its own DB, the same options)."""
    return run_timed([os.environ.get("TRIVY_PATH", "trivy"), "image", "--quiet", "--format", "json", "--scanners", "vuln", "--insecure", "--skip-version-check",
                      "--disable-telemetry"] + peer_args(cache) + [image_ref])[0]


def non_ping(requests):
    return [r for r in requests if r[1] != "/v2/"]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small images and counts, one run")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--only", default="scan,overhead,vet20,revet,sync1000,gate1000,sign,rescan100,shards")
    ap.add_argument("--rescan-image", choices=["debian", "alpine"],
                    help="what rescan100 and shards scan: a Debian-like base (this machine's dpkg status and 40 MiB of its "
                         "libraries, so Trivy does a real image's work; the default) or a two-package Alpine (--quick's)")
    args = ap.parse_args()
    runs = args.runs or (1 if args.quick else 5)
    only = args.only.split(",")
    work = tempfile.mkdtemp(prefix="imagegate-vetbench-")
    blobs = os.path.join(work, "blobs")
    os.makedirs(blobs)
    cache = fixture_db()
    scan = trivy_args(cache)
    public, private = localregistry.Registry(work, "public"), localregistry.Registry(work, "private")
    lines, csv = [], ["benchmark,tool,run,wall_s,peak_rss_kib"]
    load_before = os.getloadavg()
    try:
        public.start()
        private.start()
        # the launcher's class-data archive is written by a first run, as a first use would
        subprocess.run([IMAGEGATE, "verdict", "127.0.0.1:1/x:1"], capture_output=True)

        if "scan" in only:
            per_platform = 8 if args.quick else 100
            plats = [("linux", "amd64", None), ("linux", "arm64", "v8"), ("linux", "arm", "v7"), ("linux", "s390x", None)]
            images = [localregistry.alpine_image(blobs, "scan%d" % i, [("openssl", "3.5.0-r0", "openssl"), ("busybox", "1.37.0-r%d" % i, "busybox")],
                                         extra_mib=per_platform, platform_=p) for i, p in enumerate(plats)]
            index = localregistry.alpine_index(blobs, "scanmulti", images)
            index.push(public.host)
            ref = "%s/library/scanmulti:1" % public.host
            singles, multis, multis_ip, cpus = [], [], [], []
            ip = bench.InProcess()
            ip.run("scan", ref, cache)  # the JVM's first scan, not counted
            for r in range(runs):
                # each platform alone, as `trivy image --platform`: the slowest of them is the yardstick
                single = []
                for p in plats:
                    single.append((run_timed([os.environ.get("TRIVY_PATH", "trivy"), "image", "--quiet", "--format", "json", "--scanners", "vuln", "--insecure",
                                         "--skip-version-check", "--disable-telemetry", "--platform", "%s/%s%s" % (p[0], p[1], "/" + p[2] if p[2] else "")]
                                        + peer_args(cache) + [ref])[0], LAST_CPU[0]))
                slowest = max(w for w, _ in single)
                cpus.append(sum(c for _, c in single))
                singles.append(slowest)
                multis.append(run_timed([IMAGEGATE, "scan"] + scan + [ref], expect=(0, 1))[0])
                multis_ip.append(ip.run("scan", ref, cache)[0])
                csv += ["scan-4x%dMiB,trivy-slowest-platform,%d,%.3f,0" % (per_platform, r + 1, slowest),
                        "scan-4x%dMiB,imagegate-cli,%d,%.3f,0" % (per_platform, r + 1, multis[-1]),
                        "scan-4x%dMiB,imagegate-inprocess,%d,%.3f,0" % (per_platform, r + 1, multis_ip[-1])]
                print("scan run %d: slowest platform %.2fs, imagegate CLI %.2fs, in-process %.2fs" % (r + 1, slowest, multis[-1], multis_ip[-1]),
                      file=sys.stderr)
            ip.close()
            s, m, mi = statistics.median(singles), statistics.median(multis), statistics.median(multis_ip)
            cpu = statistics.median(cpus)
            floor = max(s, cpu / os.cpu_count())
            lines.append("| scan of a 4-platform image, %d MiB per platform | slowest single-platform `trivy image`: %.2f s (the four use %.2f s "
                         "of CPU: on %d cores no scan of all four can take less than %.2f s, %.2f×) | imagegate scan (CLI): "
                         "%.2f s (%.2f×); in-process: %.2f s (%.2f×) | ≤ 1.5× | %s |"
                         % (per_platform, s, cpu, os.cpu_count(), floor, floor / s, m, m / s, mi, mi / s,
                            "met" if m / s <= 1.5 else "missed"))

        if "overhead" in only:
            # imagegate's own share of a scan, in-process: its wall time minus Trivy's, as a wrapper around Trivy clocks
            # it (the wrapper's own start and its fork and exec of Trivy count as imagegate's, so the figure errs high)
            img = localregistry.alpine_image(blobs, "overhead", [("openssl", "3.5.0-r0", "openssl"), ("busybox", "1.37.0-r30", "busybox")],
                                     extra_mib=8 if args.quick else 100)
            img.push(public.host)
            ref = "%s/%s:1" % (public.host, img.repo)
            clock = os.path.join(work, "trivy-times")
            wrapper = os.path.join(work, "trivy-clocked")
            # a small C wrapper (bench/clock/clock.c): its own start counts as imagegate's, so it must cost next to nothing
            # (a shell script with two `date` processes cost about 4 ms, a Go program about 2 ms; this, about 1 ms)
            trivy = shutil.which(os.environ.get("TRIVY_PATH", "trivy"))
            subprocess.run(["cc", "-O2", '-DTARGET="%s"' % trivy, '-DCLOCK="%s"' % clock, "-o", wrapper,
                            os.path.join(ROOT, "bench", "clock", "clock.c")], check=True)
            ip = bench.InProcess(env=dict(os.environ, TRIVY_PATH=wrapper))
            ip.run("scan", ref, cache)  # the JVM's first scan (and Trivy's version query), not counted
            shares = []
            for r in range(max(runs, 10)):
                open(clock, "w").close()
                wall = ip.run("scan", ref, cache)[0]
                with open(clock) as f:
                    spans = [tuple(int(x) for x in line.split()[:2]) for line in f if line.strip()]
                trivy_wall = sum(b - a for a, b in spans) / 1e9
                shares.append((wall - trivy_wall) / trivy_wall)
                csv.append("overhead,imagegate-inprocess,%d,%.3f,0" % (r + 1, wall))
                csv.append("overhead,trivy-within,%d,%.3f,0" % (r + 1, trivy_wall))
                print("overhead run %d: in-process scan %.3fs, Trivy within it %.3fs (%d run)" % (r + 1, wall, trivy_wall, len(spans)),
                      file=sys.stderr)
            ip.close()
            share = statistics.median(shares)
            lines.append("| imagegate's own time in an in-process scan (%d MiB image) | Trivy's own run inside it | %.1f %% of Trivy's time "
                         "(resolution, process start, report parsing, judging) | < 5 %% | %s |"
                         % (8 if args.quick else 100, share * 100, "met" if share < 0.05 else "missed"))

        if "vet20" in only:
            count = 20
            names = []
            for i in range(count):
                img = localregistry.alpine_image(blobs, "svc%d" % i, [("openssl", "3.5.%d-r0" % (2 + i), "openssl"), ("busybox", "1.37.0-r30", "busybox")],
                                         extra_mib=1 if args.quick else 10)
                img.push(public.host)
                names.append(img.repo)
            sequential, synced = [], []
            for r in range(runs):
                os.sync()
                start = time.perf_counter()
                for repo in names:
                    trivy_single(cache, "%s/%s:1" % (public.host, repo))
                sequential.append(time.perf_counter() - start)
                private.stop()
                private.start(fresh=True)
                sync = os.path.join(work, "sync20.yaml")
                with open(sync, "w") as f:
                    f.write("images:\n" + "".join("  - source: %s/%s:1\n    target: %s/base/%s:1\n" % (public.host, repo, private.host,
                                                                                                        repo.split("/")[-1]) for repo in names))
                wall, rss, out = run_timed([IMAGEGATE, "sync"] + scan + ["--parallel", "4", sync], expect=(0, 1))
                synced.append(wall)
                csv += ["vet20,trivy-sequential,%d,%.3f,0" % (r + 1, sequential[-1]), "vet20,imagegate-sync,%d,%.3f,%d" % (r + 1, wall, rss)]
                print("vet20 run %d: 20 sequential trivy %.2fs, imagegate sync (vets all 20) %.2fs" % (r + 1, sequential[-1], wall), file=sys.stderr)
            seq, syn = statistics.median(sequential), statistics.median(synced)
            lines.append("| vetting 20 images in one run | 20 sequential `trivy image`: %.2f s | imagegate sync (import, scan, verdict, promote "
                         "each): %.2f s (%.2f× faster) | ≥ 3× faster | %s |" % (seq, syn, seq / syn, "met" if seq / syn >= 3 else "missed"))

        if "revet" in only:
            img = localregistry.alpine_image(blobs, "revet", [("busybox", "1.37.0-r30", "busybox")])
            img.push(public.host)
            src, dst = "%s/%s:1" % (public.host, img.repo), "%s/base/revet:1" % private.host
            subprocess.run([IMAGEGATE, "vet"] + scan + [src, dst], check=True, capture_output=True)
            counts, walls = [], []
            for r in range(runs):
                public.set_mark()
                private.set_mark()
                wall, rss, out = run_timed([IMAGEGATE, "vet", "--trivy", "/nonexistent/trivy", src, dst])
                reqs = non_ping(public.requests()) + non_ping(private.requests())
                counts.append(len(reqs))
                walls.append(wall)
                # the one blob read is the verdict's document, which the lookup checks against its annotations; no layer
                blob_requests = [q for q in reqs if "/blobs/" in q[1]]
                if len(blob_requests) > 1 or any(q[0] != "GET" for q in blob_requests):
                    raise SystemExit("re-vet touched blobs: %s" % blob_requests)
            lines.append("| vet of an already vetted image | – | %.2f s; %d registry requests besides the two /v2/ pings (the verdict's"
                         " document the one blob read), no layer, no Trivy run | ≤ 5 requests, no Trivy, no blob | %s |"
                         % (statistics.median(walls), max(counts), "met" if max(counts) <= 5 else "missed"))

        if "sync1000" in only:
            total, distinct = (100, 10) if args.quick else (1000, 50)
            base = [localregistry.alpine_image(blobs, "many%d" % i, [("busybox", "1.37.0-r%d" % (30 + i), "busybox")]) for i in range(distinct)]
            for i, img in enumerate(base):
                img.push(public.host, "library/many")
            # tags 0..total-1 over the distinct images upstream
            for t in range(total):
                localregistry.push_manifest(public.host, "library/many", "t%d" % t, bench.OCI_MANIFEST, base[t % distinct].manifests[-1][2])
            # vetted before: each distinct image once, for real (its verdicts, in base/many and its quarantine, serve every tag
            # of its digest), then the other tags of the same digests written beside them
            first = os.path.join(work, "sync-first.yaml")
            with open(first, "w") as f:
                f.write("images:\n" + "".join("  - source: %s/library/many:t%d\n    target: %s/base/many:t%d\n" % (public.host, t, private.host, t)
                                              for t in range(distinct)))
            subprocess.run([IMAGEGATE, "sync"] + scan + ["--parallel", "4", first], check=True, capture_output=True)
            for t in range(distinct, total):
                localregistry.push_manifest(private.host, "base/many", "t%d" % t, bench.OCI_MANIFEST, base[t % distinct].manifests[-1][2])
            sync = os.path.join(work, "sync%d.yaml" % total)
            with open(sync, "w") as f:
                f.write("images:\n" + "".join("  - source: %s/library/many:t%d\n    target: %s/base/many:t%d\n" % (public.host, t, private.host, t)
                                              for t in range(total)))
            walls, rsses, per_image, manifest_share = [], [], [], []
            for r in range(runs):
                public.set_mark()
                private.set_mark()
                # no Trivy to be found: a scan would fail the run
                wall, rss, out = run_timed([IMAGEGATE, "sync", "--trivy", "/nonexistent/trivy", "--parallel", "16", sync])
                if not re.search(r"\b0 vetted, 0 scanned again in place, .*\b0 failed", out):
                    raise SystemExit("the unchanged sync vetted or failed images: %s" % out[-2000:])
                sent = non_ping(public.requests() + private.requests())
                if any("/blobs/" in q[1] or q[0] not in ("GET", "HEAD") for q in sent):
                    raise SystemExit("the unchanged sync read a blob or wrote: %s" % [q for q in sent if "/blobs/" in q[1]][:5])
                walls.append(wall)
                rsses.append(rss)
                per_image.append(len(sent) / total)
                manifest_share.append(len([q for q in sent if "/manifests/" in q[1]]) / total)
                csv.append("sync%d,imagegate,%d,%.3f,%d" % (total, r + 1, wall, rss))
                print("sync%d run %d: %.2fs, %d MiB, %.2f requests per image (%.2f manifest)" % (total, r + 1, wall, rss // 1024, per_image[-1],
                                                                                                manifest_share[-1]), file=sys.stderr)
            w = statistics.median(walls)
            lines.append("| sync of %d unchanged images with fresh verdicts | – | %.2f s, %.2f requests per image besides the /v2/ pings (%.2f"
                         " manifest requests: HEAD upstream, HEAD the trusted tag, the referrers listing), no blob, no scan, peak RSS %d MiB"
                         " | ≤ 10 s, ≤ 3 requests per image, no Trivy run, < 128 MiB | %s |"
                         % (total, w, max(per_image), max(manifest_share), max(rsses) // 1024,
                            "met" if w <= 10 and max(per_image) <= 3 and max(rsses) < 128 * 1024 else "missed"))

        if "rescan100" in only or "shards" in only:
            rescan_benchmarks(args, work, blobs, cache, public, private, runs, lines, csv)

        # A P-256 key pair for signed verdicts (unencrypted PKCS#8, which imagegate takes as cosign's encrypted keys).
        keys = os.path.join(work, "keys")
        os.makedirs(keys)
        subprocess.run("openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out key.pem", shell=True,
                       cwd=keys, check=True, capture_output=True)
        subprocess.run(["openssl", "ec", "-in", "key.pem", "-pubout", "-out", "pub.pem"], cwd=keys, check=True, capture_output=True)
        private_key, public_key = os.path.join(keys, "key.pem"), os.path.join(keys, "pub.pem")

        if "sign" in only:
            # What signing adds to a vet: the requests it writes, and its wall time, against the same vet unsigned.
            img = localregistry.alpine_image(blobs, "signcost", [("busybox", "1.37.0-r30", "busybox")])
            img.push(public.host)
            walls = {"unsigned": [], "signed": []}
            puts = {}
            for r in range(runs):
                for kind in ("unsigned", "signed"):
                    target = "%s/sign%s/app%d:1" % (private.host, kind, r)
                    extra = ["--signing-key", private_key] if kind == "signed" else []
                    private.set_mark()
                    start = time.perf_counter()
                    subprocess.run([IMAGEGATE, "vet"] + scan + extra + ["%s/%s:1" % (public.host, img.repo), target], check=True,
                                   capture_output=True)
                    walls[kind].append(time.perf_counter() - start)
                    puts[kind] = len([q for q in private.requests() if q[0] == "PUT" and "/manifests/" in q[1]])
                    csv.append("sign-%s,imagegate,%d,%.3f,0" % (kind, r + 1, walls[kind][-1]))
            u, s_ = statistics.median(walls["unsigned"]), statistics.median(walls["signed"])
            added = puts["signed"] - puts["unsigned"]
            lines.append("| what signing adds to one vet in its own process (one image, recorded in quarantine and beside the trusted"
                         " name; includes loading the key and the JVM's first use of EC crypto) | – | %d more"
                         " manifest PUTs (%d against %d), %+.0f ms wall (%.2f s against %.2f s) |"
                         " at most one manifest PUT per verdict | %s |"
                         % (added, puts["signed"], puts["unsigned"], (s_ - u) * 1000, s_, u,
                            "met" if added <= 2 else "missed"))
            # Per verdict: one sync of n images signed against the same unsigned, each in one process, so the key's loading
            # and the JVM's crypto start are paid once and the difference is what each verdict costs.
            n = 4 if args.quick else 16
            imgs = [localregistry.alpine_image(blobs, "signsync%d" % i, [("busybox", "1.37.0-r%d" % (30 + i), "busybox")]) for i in range(n)]
            for img in imgs:
                img.push(public.host)
            sync_walls = {"unsigned": [], "signed": []}
            sync_puts = {}
            for r in range(runs):
                for kind in ("unsigned", "signed"):
                    sync = os.path.join(work, "sign-sync-%s-%d.yaml" % (kind, r))
                    with open(sync, "w") as f:
                        f.write("images:\n" + "".join("  - source: %s/%s:1\n    target: %s/s%s%d/%s:1\n" % (
                            public.host, img.repo, private.host, kind, r, img.repo.split("/")[-1]) for img in imgs))
                    extra = ["--signing-key", private_key] if kind == "signed" else []
                    private.set_mark()
                    start = time.perf_counter()
                    subprocess.run([IMAGEGATE, "sync"] + scan + ["--parallel", "1"] + extra + [sync], check=True, capture_output=True)
                    sync_walls[kind].append(time.perf_counter() - start)
                    sync_puts[kind] = len([q for q in private.requests() if q[0] == "PUT" and "/manifests/" in q[1]])
                    csv.append("signsync-%s,imagegate,%d,%.3f,0" % (kind, r + 1, sync_walls[kind][-1]))
            su, ss = statistics.median(sync_walls["unsigned"]), statistics.median(sync_walls["signed"])
            verdicts = 2 * n  # each vet records its verdict in quarantine and beside the trusted name
            per_verdict = (ss - su) / verdicts * 1000
            lines.append("| what signing adds per verdict (a sync of %d images, signed against unsigned, one process each) | – |"
                         " %.1f ms and %.1f manifest PUTs per verdict (%.2f s against %.2f s for %d verdicts) |"
                         " at most one manifest PUT and a few ms per verdict | %s |"
                         % (n, per_verdict, (sync_puts["signed"] - sync_puts["unsigned"]) / verdicts, ss, su, verdicts,
                            "met" if per_verdict <= 10 and sync_puts["signed"] - sync_puts["unsigned"] <= verdicts else "missed"))

        if "sign" in only:
            # The same per verdict in a warm process, the signing work alone (common/src/test/.../SigningCostBench.java):
            # the statement signed, the bundle uploaded, its manifest put, 100 times after 10 to warm up.
            cp_file = os.path.join(work, "common.classpath")
            subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-ntp", "-q", "-o", "-pl", "common", "test-compile", "dependency:build-classpath",
                            "-Dmdep.outputFile=" + cp_file, "-Dmdep.includeScope=runtime"], cwd=ROOT, check=True, capture_output=True)
            with open(cp_file) as f:
                cp = ":".join([os.path.join(ROOT, "common", "target", "classes"), os.path.join(ROOT, "common", "target", "test-classes"),
                               f.read().strip()])
            medians, p90s, signs = [], [], []
            for r in range(runs):
                out = subprocess.run(["java", "-cp", cp, "io.imagegate.vetting.SigningCostBench", private.host, private_key, "100"],
                                     check=True, capture_output=True, text=True).stdout.split()
                medians.append(float(out[0])); p90s.append(float(out[1])); signs.append(float(out[2]))
            lines.append("| what signing adds per verdict in a warm process (100 verdicts; SigningCostBench) | – | %.1f ms median, %.1f ms"
                         " p90: signing the statement %.1f ms, the rest the bundle's upload (POST, PUT) and its manifest's PUT |"
                         " at most one manifest PUT and a few ms per verdict | %s |"
                         % (statistics.median(medians), statistics.median(p90s), statistics.median(signs),
                            "met" if statistics.median(signs) <= 5 else "missed"))

        if "gate1000" in only:
            files, distinct = (100, 10) if args.quick else (1000, 50)
            vetted = [localregistry.alpine_image(blobs, "gate%d" % i, [("busybox", "1.37.0-r%d" % (30 + i), "busybox")]) for i in range(distinct)]
            for img in vetted:
                img.push(public.host)
            sync = os.path.join(work, "gate-sync.yaml")
            with open(sync, "w") as f:
                f.write("images:\n" + "".join("  - source: %s/%s:1\n    target: %s/base/%s:1\n" % (public.host, img.repo, private.host,
                                                                                                     img.repo.split("/")[-1]) for img in vetted))
            subprocess.run([IMAGEGATE, "sync"] + scan + ["--parallel", "4", "--signing-key", private_key, sync], check=True,
                           capture_output=True)
            project = os.path.join(work, "project")
            for n in range(files):
                d = os.path.join(project, "svc%04d" % n)
                os.makedirs(d)
                img = vetted[n % distinct]
                digest = "sha256:" + __import__("hashlib").sha256(img.manifests[-1][2]).hexdigest()
                with open(os.path.join(d, "Dockerfile"), "w") as f:
                    f.write("FROM %s/base/%s:1@%s AS build\nRUN make\nFROM %s/base/%s:1@%s\nCOPY --from=build /out /out\n"
                            % (private.host, img.repo.split("/")[-1], digest, private.host, vetted[(n + 1) % distinct].repo.split("/")[-1],
                               "sha256:" + __import__("hashlib").sha256(vetted[(n + 1) % distinct].manifests[-1][2]).hexdigest()))
            for label, extra in (("", []), (", every verdict's signature verified (--verify-key)", ["--verify-key", public_key])):
                walls, counts = [], []
                for r in range(runs):
                    private.set_mark()
                    start = time.perf_counter()
                    r_ = subprocess.run([IMAGEGATE, "gate", "--trusted", private.host + "/base", "--require-vetted"] + extra + ["**/Dockerfile"],
                                        cwd=project, capture_output=True, text=True)
                    wall = time.perf_counter() - start
                    if r_.returncode != 0:
                        raise SystemExit("gate failed: %s" % (r_.stdout + r_.stderr)[-2000:])
                    walls.append(wall)
                    counts.append(len(non_ping(private.requests())))
                    csv.append("gate%d%s,imagegate,%d,%.3f,0" % (files, "-verified" if extra else "", r + 1, wall))
                    print("gate%d%s run %d: %.2fs, %d requests" % (files, " verified" if extra else "", r + 1, wall, counts[-1]), file=sys.stderr)
                w = statistics.median(walls)
                lines.append("| gate with vetting of %d Dockerfiles using %d images%s | – | %.2f s with JVM start, %d registry requests (%.1f"
                             " per distinct image) | ≤ 2 s, each verdict fetched once | %s |" % (files, distinct, label, w, max(counts),
                                                                                                 max(counts) / distinct,
                                                                                                 "met" if w <= 2 else "missed"))
    finally:
        public.stop()
        private.stop()
    load_after = os.getloadavg()
    machine = ["- machine: %s, %d cores" % (platform.platform(), os.cpu_count()),
               "- load average before/after: %.2f / %.2f" % (load_before[0], load_after[0]),
               "- trivy: %s; registry: %s" % (bench.version(["trivy", "--version"]), bench.version(["docker-registry", "--version"])),
               "- runs: %d%s; Trivy offline with the project's fixture DB" % (runs, " (quick mode)" if args.quick else "")]
    table = ["| what | peer | imagegate | target | |", "|---|---|---|---|---|"] + lines
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%MZ")
    report = "# imagegate vetting benchmark, %s\n\n%s\n\n%s\n" % (stamp, "\n".join(machine), "\n".join(table))
    out_dir = os.path.join(ROOT, "bench", "results")
    os.makedirs(out_dir, exist_ok=True)
    name = "%s-vetting%s" % (stamp, "-quick" if args.quick else "")
    with open(os.path.join(out_dir, name + ".md"), "w") as f:
        f.write(report)
    with open(os.path.join(out_dir, name + ".csv"), "w") as f:
        f.write("\n".join(csv) + "\n")
    print(report)
    shutil.rmtree(work, ignore_errors=True)


TRIVY_DB_LAYER = "application/vnd.aquasec.trivy.db.layer.v1.tar+gzip"


def push_trivy_db(cache, work, registry):
    """The fixture DB as Trivy downloads it (an OCI artifact, `trivy-db:2`), so a run with an empty cache downloads it
    from the local registry, offline, and each download is one blob GET in the registry's log. Returns the layer digest."""
    import hashlib
    import io
    import json
    import tarfile
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name in ("trivy.db", "metadata.json"):
            tar.add(os.path.join(cache, "db", name), arcname=name)
    layer = out.getvalue()
    path = os.path.join(work, "trivy-db.tar.gz")
    with open(path, "wb") as f:
        f.write(layer)
    digest = "sha256:" + hashlib.sha256(layer).hexdigest()
    localregistry.push_blob(registry.host, "trivy-db", path, digest)
    config = b"{}"
    config_path = os.path.join(work, "trivy-db-config.json")
    with open(config_path, "wb") as f:
        f.write(config)
    config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
    localregistry.push_blob(registry.host, "trivy-db", config_path, config_digest)
    manifest = json.dumps({"schemaVersion": 2, "mediaType": bench.OCI_MANIFEST,
                           "config": {"mediaType": "application/vnd.aquasec.trivy.config.v1+json", "digest": config_digest, "size": len(config)},
                           "layers": [{"mediaType": TRIVY_DB_LAYER, "digest": digest, "size": len(layer),
                                       "annotations": {"org.opencontainers.image.title": "db.tar.gz"}}]}).encode()
    localregistry.push_manifest(registry.host, "trivy-db", "2", bench.OCI_MANIFEST, manifest)
    return digest


def proc_cpu(pid):
    """CPU seconds (user and system) a live process has used itself, without its children."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rescan_benchmarks(args, work, blobs, cache, public, private, runs, lines, csv):
    """`sync --rescan-older-than 0s` of vetted 2-platform images: where the CPU goes (imagegate's JVM against the Trivy
    processes it starts, clocked by bench/clock/clock.c in Trivy's place), how often the DB is downloaded (each shard
    starts with an empty cache and downloads the fixture DB from the local registry: one blob GET per download), and
    one shard against two shard processes at once."""
    total = 20 if args.quick else 100
    kind = args.rescan_image or ("alpine" if args.quick else "debian")
    base = localregistry.debian_base_layer(blobs) if kind == "debian" else None
    names = []
    for i in range(total):
        if base:
            # Trivy unpacks and walks a 40 MiB Debian layer and parses its package database per platform, as for a
            # real base image; the fixture DB knows three of its packages (HIGH findings, allowed by the policy below)
            img = localregistry.alpine_index(blobs, "rs%d" % i, [
                localregistry.debian_image(blobs, "rs%da" % i, base, platform_=("linux", "amd64", None)),
                localregistry.debian_image(blobs, "rs%db" % i, base, platform_=("linux", "arm64", "v8"))])
        else:
            pkgs = [("busybox", "1.37.0-r%d" % (30 + i % 7), "busybox"), ("zlib", "1.3.1-r%d" % (5 + i % 3), "zlib")]
            img = localregistry.alpine_index(blobs, "rs%d" % i, [
                localregistry.alpine_image(blobs, "rs%da" % i, pkgs, platform_=("linux", "amd64", None)),
                localregistry.alpine_image(blobs, "rs%db" % i, pkgs, platform_=("linux", "arm64", "v8"))])
        img.push(public.host)
        names.append(img.repo.split("/")[-1])
    policy = os.path.join(work, "rescan-policy.yaml")
    with open(policy, "w") as f:
        f.write("failOn: CRITICAL\n")
    sync = os.path.join(work, "rescan%d.yaml" % total)
    with open(sync, "w") as f:
        f.write("images:\n" + "".join("  - source: %s/library/%s:1\n    target: %s/base/%s:1\n" % (public.host, n, private.host, n)
                                      for n in names))
    # vetted once, untimed: every image has a fresh PASS, so only --rescan-older-than 0s scans them again
    subprocess.run([IMAGEGATE, "sync"] + trivy_args(cache) + ["--policy", policy, "--parallel", "4", sync], check=True, capture_output=True)
    db_digest = push_trivy_db(cache, work, private)
    # as in a new pod: no class-data archive from an earlier run (the launcher writes one only after an import or scan)
    for archive in glob.glob(os.path.join(ROOT, "cli", "target", "imagegate.jsa")):
        os.remove(archive)
    clock = os.path.join(work, "trivy-cpu")
    wrapper = os.path.join(work, "trivy-cpu-clocked")
    subprocess.run(["cc", "-O2", '-DTARGET="%s"' % shutil.which(os.environ.get("TRIVY_PATH", "trivy")), '-DCLOCK="%s"' % clock, "-o", wrapper,
                    os.path.join(ROOT, "bench", "clock", "clock.c")], check=True)

    def shard_command(shard, cache_dir, core):
        # online, with an empty cache: the first scan of a shard downloads the DB from the local registry, the rest
        # run without updates (ScanScheduler); the Java DB is not needed for OS packages. `core`: the shard runs as
        # a one-core pod would, pinned to that core (the JVM and Trivy then see one processor: one scan at a time)
        return (["taskset", "-c", str(core)] if core is not None else []) + [
            IMAGEGATE, "sync", "--rescan-older-than", "0s", "--trivy", wrapper, "--cache-dir", cache_dir, "--policy", policy,
            "--db-repository", "%s/trivy-db:2" % private.host, "--skip-java-db-update"] + (
                ["--shard", shard] if shard else []) + [sync]

    def rescan(shards, pinned=False):
        """Runs the rescan as `shards` processes at once (each pinned to a core of its own when `pinned`); returns
        (wall, JVM CPU, Trivy CPU, Trivy runs, DB downloads, registry CPU)."""
        open(clock, "w").close()
        private.set_mark()
        reg0 = proc_cpu(private.proc.pid) + proc_cpu(public.proc.pid)
        procs, logs = [], []
        start = time.perf_counter()
        for s in range(shards):
            cache_dir = os.path.join(work, "shard-cache-%d" % s)
            shutil.rmtree(cache_dir, ignore_errors=True)
            log = os.path.join(work, "shard-%d.log" % s)
            with open(log, "w") as out:
                procs.append(subprocess.Popen(shard_command("%d/%d" % (s, shards) if shards > 1 else None, cache_dir,
                                                            s if pinned else None),
                                              stdout=out, stderr=subprocess.STDOUT))
            logs.append(log)
        # each shard's CPU with its children's (the Trivy runs, reaped by its JVM), exactly, from wait4
        tree_cpu, codes = 0.0, []
        for p in procs:
            _, status, usage = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            tree_cpu += usage.ru_utime + usage.ru_stime
            codes.append(p.returncode)
        wall = time.perf_counter() - start
        outs = []
        for s, log in enumerate(logs):
            with open(log) as f:
                outs.append(f.read())
            if codes[s] != 0:
                raise SystemExit("rescan shard %d/%d failed (%d): %s" % (s, shards, codes[s], outs[s][-3000:]))
        rescanned = sum(int(m) for o in outs for m in re.findall(r"(\d+) scanned again in place", o))
        if rescanned != total:
            raise SystemExit("the rescan scanned %d images again, expected %d: %s" % (rescanned, total, outs[0][-2000:]))
        with open(clock) as f:
            spans = [[int(x) for x in line.split()] for line in f if line.strip()]
        trivy_cpu = sum(span[2] + span[3] for span in spans) / 1e6
        # the clock wrapper's own CPU (its start and the spawn of Trivy; well under a millisecond a run) is the
        # benchmark's, not imagegate's: a real scan starts Trivy itself
        clock_cpu = sum(span[4] for span in spans if len(span) > 4) / 1e6
        # the JVMs' own: everything in the process tree but Trivy's runs and the clock around each
        jvm_cpu = tree_cpu - trivy_cpu - clock_cpu
        downloads = len([q for q in private.requests() if q[0] == "GET" and q[1].endswith("/blobs/" + db_digest)])
        reg = proc_cpu(private.proc.pid) + proc_cpu(public.proc.pid) - reg0
        return wall, jvm_cpu, trivy_cpu, len(spans), downloads, reg

    single, double, pod1, pod2 = [], [], [], []
    shards_too = "shards" in only_of(args) and os.cpu_count() >= 2
    for r in range(runs):
        # one process; two at once; and the same as one-core pods (each process pinned to a core of its own)
        order = [(1, False), (2, False), (1, True), (2, True)] if shards_too else [(1, False)]
        if r % 2:
            order.reverse()
        for shards, pinned in order:
            os.sync()
            got = rescan(shards, pinned)
            {(1, False): single, (2, False): double, (1, True): pod1, (2, True): pod2}[(shards, pinned)].append(got)
            wall, jvm, trivy_cpu, spans, downloads, reg = got
            label = "%dshard%s" % (shards, "-pinned" if pinned else "")
            csv.append("rescan%d-%s-%s,imagegate,%d,%.3f,0" % (total, kind, label, r + 1, wall))
            print("rescan%d (%s) %s run %d: %.2fs wall; CPU: imagegate JVM %.2fs, Trivy %.2fs (%d runs), registries %.2fs; "
                  "DB downloads %d; load %.1f" % (total, kind, label, r + 1, wall, jvm, trivy_cpu, spans, reg, downloads, os.getloadavg()[0]),
                  file=sys.stderr)

    def med(rows, i):
        return statistics.median(row[i] for row in rows)
    wall1, jvm1, trivy1, spans1, dl1, reg1 = (med(single, i) for i in range(6))
    share = jvm1 / (jvm1 + trivy1)
    what = ("Debian-like, a 40 MiB layer per platform" if kind == "debian" else "two-package Alpine")
    lines.append("| rescan of %d vetted 2-platform images (%s; `sync --rescan-older-than 0s`), one process | – | %.2f s; CPU: imagegate's JVM "
                 "%.2f s, Trivy %.2f s over %d Trivy runs, the registries %.2f s; imagegate's share %.1f %% of imagegate and Trivy; "
                 "DB downloads per shard: %s | < 5 %%, the DB once per shard | %s |"
                 % (total, what, wall1, jvm1, trivy1, spans1, reg1, share * 100, sorted(set(row[4] for row in single)),
                    "met" if share < 0.05 and all(row[4] == 1 for row in single) else "missed"))
    per_core_second = total / (jvm1 + trivy1)
    lines.append("| sizing: images per core-second (imagegate and Trivy CPU, fixture DB) | – | %.2f images per core-second "
                 "(%.3f core-s per image; with the registries' CPU %.2f) | – | – |"
                 % (per_core_second, 1 / per_core_second, total / (jvm1 + trivy1 + reg1)))
    if double:
        wall2, jvm2, trivy2, spans2, dl2, reg2 = (med(double, i) for i in range(6))
        ratio = wall2 / wall1
        lines.append("| the same rescan as 2 shard processes at once (`--shard 0/2`, `--shard 1/2`) | 1 shard: %.2f s | %.2f s (%.2f×); "
                     "CPU: JVMs %.2f s, Trivy %.2f s, registries %.2f s; DB downloads %s (one per shard); load average %.1f | ≤ 0.6× | %s |"
                     % (wall1, wall2, ratio, jvm2, trivy2, reg2, sorted(set(row[4] for row in double)), os.getloadavg()[0],
                        "met" if ratio <= 0.6 else "missed"))
    if pod1 and pod2:
        podw1, podw2 = med(pod1, 0), med(pod2, 0)
        lines.append("| the same as one-core pods: 1 shard pinned to one core against 2 shards pinned to a core each (`taskset`; the "
                     "registries unpinned, on the same 2 cores) | 1 shard: %.2f s (JVM %.2f s, Trivy %.2f s) | %.2f s (%.2f×); CPU: "
                     "JVMs %.2f s, Trivy %.2f s, registries %.2f s | ≤ 0.6× | %s |"
                     % (podw1, med(pod1, 1), med(pod1, 2), podw2, podw2 / podw1, med(pod2, 1), med(pod2, 2), med(pod2, 5),
                        "met" if podw2 / podw1 <= 0.6 else "missed"))


def only_of(args):
    return args.only.split(",")


if __name__ == "__main__":
    main()
