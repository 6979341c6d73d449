#!/usr/bin/env python3
"""Times image imports between two local CNCF distribution registries: imagegate against skopeo, crane,
regctl, and the physical limit (the destination ingesting the same blobs through parallel curl uploads).

Every run copies onto a fresh destination (the registry is stopped, its storage wiped, and started again),
tools alternate run by run, and each tool runs as a whole process (JVM start included for imagegate).
Requests are counted from the registries' access logs, the same way for every tool."""
import argparse
import concurrent.futures
import datetime
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from localregistry import Registry, build_images, multi_image, push_manifest, target_digest  # noqa: E402
ACCESS = re.compile(r'"([A-Z]+) (\S+) HTTP/[0-9.]+" (\d{3}) ')
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
PARALLEL = 6


def tool_commands(args, src, dst, image, home):
    s = "%s/%s:1" % (src.host, image.repo)
    d = "%s/%s:1" % (dst.host, image.repo)
    return {
        # The launcher users run: java with a class-data sharing archive made by its first run.
        "imagegate": [os.path.join(ROOT, "bin", "imagegate"), "import", s, d],
        "skopeo": ["skopeo", "copy", "--all", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false", "docker://" + s, "docker://" + d],
        "crane": [os.path.join(args.bin, "crane"), "copy", "--insecure", s, d],
        "regctl": [os.path.join(args.bin, "regctl"), "image", "copy", s, d],
    }


class InProcess:
    """The facade called repeatedly in one JVM (cli/src/test/java/io/imagegate/cli/bench/InProcess.java): one command per run, answered with its wall time."""

    def __init__(self, java_opts=(), env=None):
        jar = os.path.join(ROOT, "cli", "target", "imagegate.jar")
        classes = os.path.join(ROOT, "cli", "target", "test-classes")  # InProcess is compiled with the CLI's tests
        self.proc = subprocess.Popen(["java"] + list(java_opts) + ["-cp", jar + os.pathsep + classes, "io.imagegate.cli.bench.InProcess"],
                                     env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        # the JVM may print first (a flight recording says it started)
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("the in-process benchmark JVM did not start")
            if line.strip() == "ready":
                break

    def run(self, *words):
        """Returns (wall seconds of the call as the JVM clocked it, without the pipe's round trip; peak heap MiB; summary)."""
        self.proc.stdin.write(" ".join(words) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        status, ms, peak, summary = (answer.split(" ", 3) + ["", "", "", ""])[:4]
        if status != "ok":
            raise SystemExit("in-process %s failed: %s" % (words[0], answer))
        cpu = re.match(r"cpu=(\d+)ms", summary)
        self.last_cpu = int(cpu.group(1)) / 1000 if cpu else 0.0  # the JVM's CPU during the call, every thread (JIT, GC included)
        return float(ms) / 1000, int(peak), summary

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(30)


def maven_command():
    """The Maven the wrapper installed (3.9), else `mvn` on the PATH."""
    import glob
    found = sorted(glob.glob(os.path.expanduser("~/.m2/wrapper/dists/apache-maven-3.9*/*/bin/mvn")))
    return found[-1] if found else shutil.which("mvn")


def project_version():
    with open(os.path.join(ROOT, "pom.xml")) as f:
        import re
        return re.search(r"<artifactId>imagegate-parent</artifactId>\s*<version>([^<]+)</version>", f.read()).group(1)


def maven_reactor(args, work, src, dst, runs, quick):
    """`mvn registry:import` on a 3-module reactor, one 4-platform image per module, as a Maven user runs it; next to
    `mvn validate` on the same reactor (Maven's own start and model building) and crane copying the three images one
    after another. Returns (report lines, csv rows)."""
    mvn = maven_command()
    if not mvn:
        raise SystemExit("no Maven for the reactor benchmark (run ./mvnw once, or put mvn on the PATH)")
    mib = 1 << 20
    images = [multi_image(os.path.join(work, "blobs"), "mod%d" % i, "bench/mod%d" % i, "module %d" % i, (1 if quick else 2) * mib)
              for i in range(1, 4)]
    for image in images:
        image.push(src.host)
    reactor = os.path.join(work, "reactor")
    version = project_version()
    modules = "".join("    <module>m%d</module>\n" % i for i in range(1, 4))
    os.makedirs(reactor, exist_ok=True)
    with open(os.path.join(reactor, "pom.xml"), "w") as f:
        f.write("""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>reactor</artifactId><version>1</version><packaging>pom</packaging>
  <modules>
%s  </modules>
  <build>
    <pluginManagement><plugins><plugin>
      <groupId>io.imagegate</groupId><artifactId>registry-maven-plugin</artifactId><version>%s</version>
    </plugin></plugins></pluginManagement>
    <plugins><plugin>
      <groupId>io.imagegate</groupId><artifactId>registry-maven-plugin</artifactId>
    </plugin></plugins>
  </build>
</project>
""" % (modules, version))
    for i, image in enumerate(images, 1):
        os.makedirs(os.path.join(reactor, "m%d" % i), exist_ok=True)
        with open(os.path.join(reactor, "m%d" % i, "pom.xml"), "w") as f:
            f.write("""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>bench</groupId><artifactId>reactor</artifactId><version>1</version></parent>
  <artifactId>m%d</artifactId><packaging>pom</packaging>
  <build><plugins><plugin>
    <groupId>io.imagegate</groupId><artifactId>registry-maven-plugin</artifactId>
    <configuration><source>%s/%s:1</source><target>%s/%s:1</target></configuration>
  </plugin></plugins></build>
</project>
""" % (i, src.host, image.repo, dst.host, image.repo))
    base = [mvn, "-B", "-ntp", "-nsu", "-q", "-f", os.path.join(reactor, "pom.xml")]
    subprocess.run(base + ["validate"], check=True, capture_output=True)  # resolves the build's plugins once, untimed
    crane = os.path.join(args.bin, "crane")
    walls = {"validate": [], "import": [], "crane": []}
    for r in range(runs):
        for what in (["validate", "import", "crane"] if r % 2 == 0 else ["crane", "import", "validate"]):
            dst.stop()
            dst.start(fresh=True)
            start = time.perf_counter()
            if what == "crane":
                for image in images:
                    subprocess.run([crane, "copy", "--insecure", "%s/%s:1" % (src.host, image.repo), "%s/%s:1" % (dst.host, image.repo)],
                                   check=True, capture_output=True)
            else:
                done = subprocess.run(base + (["validate"] if what == "validate" else ["registry:import"]), capture_output=True, text=True)
                if done.returncode != 0:
                    raise SystemExit("mvn %s failed: %s" % (what, (done.stdout + done.stderr)[-3000:]))
            walls[what].append(time.perf_counter() - start)
            if what != "validate":
                for image in images:
                    got = target_digest(dst, image)
                    if got != image.digest:
                        raise SystemExit("%s wrote %s for %s, expected %s" % (what, got, image.repo, image.digest))
        print("reactor run %d: mvn validate %.2fs, mvn registry:import %.2fs, crane x3 %.2fs"
              % (r + 1, walls["validate"][-1], walls["import"][-1], walls["crane"][-1]), file=sys.stderr)
    v, i, c = (statistics.median(walls[k]) for k in ("validate", "import", "crane"))
    csv = ["reactor,%s,%d,%.3f,0" % (k, n + 1, w) for k in walls for n, w in enumerate(walls[k])]
    size = sum(image.bytes for image in images) // mib
    lines = ["3-module reactor, one 4-platform image per module (%d MiB in all), medians of %d: `mvn registry:import` %.2f s; "
             "`mvn validate` on the same reactor %.2f s; so the three imports cost %.2f s inside Maven (plugin loading included) "
             "against %.2f s for three `crane copy` processes one after another (%.2f× crane)." % (size, runs, i, v, i - v, c, (i - v) / c)]
    return lines, csv


LAST_CPU = [0.0]  # CPU seconds (user and system) of the last timed() command, children included


def proc_cpu(pid):
    """CPU seconds (user and system) a live process has used itself."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(cmd, env=None):
    """Runs cmd under GNU time; returns (wall seconds, peak RSS in KiB); its CPU time goes to LAST_CPU."""
    import resource
    out = tempfile.NamedTemporaryFile(delete=False)
    out.close()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if r.returncode != 0:
        raise SystemExit("%s failed (%d): %s" % (cmd[0], r.returncode, r.stderr.decode()[-2000:]))
    with open(out.name) as f:
        rss = int(f.read().strip().splitlines()[-1])
    os.unlink(out.name)
    return wall, rss


def curl_limit(dst, image):
    """The destination ingesting the same blobs with plain parallel curl uploads, then the manifests."""
    def upload(blob):
        path, digest, _, _ = blob
        loc = subprocess.run(["curl", "-s", "-o", "/dev/null", "-D", "-", "-X", "POST", "http://%s/v2/%s/blobs/uploads/" % (dst.host, image.repo)],
                             capture_output=True, text=True).stdout
        location = [l.split(" ", 1)[1].strip() for l in loc.splitlines() if l.lower().startswith("location:")][0]
        if location.startswith("/"):
            location = "http://" + dst.host + location
        subprocess.run(["curl", "-s", "-f", "-o", "/dev/null", "-X", "PUT", "-H", "Content-Type: application/octet-stream",
                        "-T", path, location + ("&" if "?" in location else "?") + "digest=" + digest], check=True)
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(PARALLEL) as pool:
        list(pool.map(upload, sorted(image.blobs, key=lambda b: -b[2])))
    for ref, media, body in image.manifests:
        push_manifest(dst.host, image.repo, ref, media, body)
    return time.perf_counter() - start


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
    except Exception as e:  # noqa: BLE001 - only for the report
        return "unknown (%s)" % e


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--tools", default="imagegate,imagegate-inprocess,skopeo,crane,regctl,curl-limit")
    ap.add_argument("--images", default="multi,big,many", help="which images: multi (4-platform index), big (one large layer), many (small layers); none (the reactor only)")
    ap.add_argument("--reactor", action=argparse.BooleanOptionalAction, default=True,
                    help="also `mvn registry:import` on a 3-module reactor (needs the plugin installed: bench/run does that)")
    args = ap.parse_args()
    runs = args.runs or (1 if args.quick else 5)
    tools = args.tools.split(",")
    os.environ["PATH"] = args.bin + os.pathsep + os.environ["PATH"]
    work = tempfile.mkdtemp(prefix="imagegate-bench-")
    home = os.path.join(work, "home")
    os.makedirs(home)
    load_before = os.getloadavg()
    src = Registry(work, "src")
    dst = Registry(work, "dst")
    results = {}  # (image, tool) -> list of (wall, rss, requests)
    rewritten = set()  # (image, tool) whose copy did not keep the source digest
    extras = []  # lines about re-import and the memory limit
    try:
        src.start()
        dst.start()
        regctl_env = dict(os.environ, HOME=home)
        for host in (src.host, dst.host):
            subprocess.run([os.path.join(args.bin, "regctl"), "registry", "set", "--tls", "disabled", host], env=regctl_env, check=True,
                           capture_output=True)
        print("generating images in %s" % work, file=sys.stderr)
        images = [] if args.images == "none" else build_images(
            os.path.join(work, "blobs") if os.makedirs(os.path.join(work, "blobs")) is None else work, args.quick, args.images.split(","))
        if not images:
            os.makedirs(os.path.join(work, "blobs"), exist_ok=True)
        for image in images:
            image.push(src.host)
        # One untimed run lets the launcher write its class-data sharing archive, as a first use would.
        if images:
            subprocess.run([os.path.join(ROOT, "bin", "imagegate"), "import", "%s/%s:1" % (src.host, images[-1].repo),
                            "%s/warmup:1" % dst.host], check=True, capture_output=True)
        inprocess = InProcess() if "imagegate-inprocess" in tools else None
        first_call = {}  # image -> wall of the JVM's first import of it (reported apart from the warm runs)
        for image in images:
            for r in range(runs):
                order = tools[r % len(tools):] + tools[:r % len(tools)]
                for tool in order:
                    dst.stop()
                    dst.start(fresh=True)
                    for host in (dst.host,):
                        subprocess.run([os.path.join(args.bin, "regctl"), "registry", "set", "--tls", "disabled", host], env=regctl_env,
                                       check=True, capture_output=True)
                    src.set_mark()
                    registries_before = proc_cpu(src.proc.pid) + proc_cpu(dst.proc.pid)
                    if tool == "curl-limit":
                        wall, rss = curl_limit(dst, image), 0
                        cpu = 0.0  # curl's own CPU is not the point of the physical limit
                    elif tool == "imagegate-inprocess":
                        wall, heap, _ = inprocess.run("import", "%s/%s:1" % (src.host, image.repo), "%s/%s:1" % (dst.host, image.repo))
                        rss = heap * 1024  # peak heap, not RSS: the JVM is shared by every run
                        if image.name not in first_call:
                            first_call[image.name] = wall
                            print("%-22s %-11s first call in its JVM: %.2fs (not counted)" % (image.name, tool, wall), file=sys.stderr)
                            dst.stop()
                            dst.start(fresh=True)
                            src.set_mark()
                            registries_before = proc_cpu(src.proc.pid) + proc_cpu(dst.proc.pid)
                            wall, heap, _ = inprocess.run("import", "%s/%s:1" % (src.host, image.repo), "%s/%s:1" % (dst.host, image.repo))
                            rss = heap * 1024
                        cpu = inprocess.last_cpu
                    else:
                        cmd = tool_commands(args, src, dst, image, home)[tool]
                        wall, rss = timed(cmd, env=regctl_env if tool == "regctl" else None)
                        cpu = LAST_CPU[0]
                    # On 2 cores a copy is CPU-bound: the tool's CPU and both registries' set its wall time, and CPU time
                    # stays comparable when other work loads the machine (wall time does not).
                    registries = proc_cpu(src.proc.pid) + proc_cpu(dst.proc.pid) - registries_before
                    reqs = len(src.requests()) + len(dst.requests())
                    got = target_digest(dst, image)
                    if got != image.digest:
                        if tool == "imagegate":
                            raise SystemExit("imagegate wrote %s for %s, expected %s" % (got, image.repo, image.digest))
                        rewritten.add((image.name, tool))
                    results.setdefault((image.name, tool), []).append((wall, rss, reqs, cpu, registries))
                    print("%-22s %-11s run %d: %.2fs, %d MiB, %d requests, CPU %.2fs (registries %.2fs)"
                          % (image.name, tool, r + 1, wall, rss // 1024, reqs, cpu, registries), file=sys.stderr)
        # re-import of an unchanged image, and the large layer under -Xmx64m
        launcher = os.path.join(ROOT, "bin", "imagegate")
        by_key = {image.key: image for image in images}
        if "multi" in by_key:
            multi = by_key["multi"]
            dst.stop()
            dst.start(fresh=True)
            subprocess.run([launcher, "import", "%s/%s:1" % (src.host, multi.repo), "%s/%s:1" % (dst.host, multi.repo)],
                           check=True, capture_output=True)
            reimport = []
            for _ in range(runs):
                src.set_mark()
                dst.set_mark()
                wall, rss = timed([launcher, "import", "%s/%s:1" % (src.host, multi.repo), "%s/%s:1" % (dst.host, multi.repo)])
                content = [q for q in src.requests() + dst.requests() if "/manifests/" in q[1] or "/blobs/" in q[1]]
                reimport.append((wall, rss, content))
            heads = [len([q for q in c if q[0] == "HEAD"]) for _, _, c in reimport]
            others = [len([q for q in c if q[0] != "HEAD"]) for _, _, c in reimport]
            extras.append("Re-import of the unchanged multi-arch image with imagegate: median %.2f s, manifest/blob requests per run: %s HEAD, %s other."
                          % (statistics.median(w for w, _, _ in reimport), heads, others))
        if "big" in by_key:
            big = by_key["big"]
            dst.stop()
            dst.start(fresh=True)
            wall64, rss64 = timed([launcher, "import", "%s/%s:1" % (src.host, big.repo), "%s/%s:1" % (dst.host, big.repo)],
                                  env=dict(os.environ, IMAGEGATE_JAVA_OPTS="-Xmx64m"))
            ok64 = target_digest(dst, big) == big.digest
            extras.append("The %s image with `-Xmx64m`: %s in %.2f s, peak RSS %d MiB."
                          % (big.name, "digest identical" if ok64 else "FAILED", wall64, rss64 // 1024))
            dst.stop()
            dst.start(fresh=True)
            small = InProcess(["-Xmx64m"])
            wall_ip, heap_ip, _ = small.run("import", "%s/%s:1" % (src.host, big.repo), "%s/%s:1" % (dst.host, big.repo))
            small.close()
            ok_ip = target_digest(dst, big) == big.digest
            extras.append("The %s image imported in-process (the facade in a JVM with `-Xmx64m`): %s in %.2f s, peak heap %d MiB."
                          % (big.name, "digest identical" if ok_ip else "FAILED", wall_ip, heap_ip))
        reactor_csv = []
        if args.reactor:
            try:
                reactor_lines, reactor_csv = maven_reactor(args, work, src, dst, runs, args.quick)
            except SystemExit as e:  # the import table above is still worth writing
                reactor_lines = ["The Maven reactor benchmark failed: %s" % e]
            extras.extend(reactor_lines)
        if inprocess:
            inprocess.close()
            for name, wall in first_call.items():
                extras.append("In-process, the first import of %s in its JVM took %.2f s (class loading and JIT); the table has the calls after it."
                              % (name, wall))
    finally:
        src.stop()
        dst.stop()
    load_after = os.getloadavg()

    def med(key, i=0):
        return statistics.median(v[i] for v in results[key])

    lines = ["| image | tool | median wall (s) | × skopeo | × crane | × physical limit | peak RSS (MiB) | requests | digest kept "
             "| CPU (s) | registries' CPU (s) | CPU with registries × crane's |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"]
    csv = ["image,tool,run,wall_s,peak_rss_kib,requests,cpu_s,registries_cpu_s"]
    for image in images:
        for tool in tools:
            key = (image.name, tool)
            if key not in results:
                continue
            for i, (w, r, q, c, g) in enumerate(results[key]):
                csv.append('"%s",%s,%d,%.3f,%d,%d,%.3f,%.3f' % (image.name, tool, i + 1, w, r, q, c, g))
            wall = med(key)

            def ratio(other):
                k = (image.name, other)
                return "%.2f" % (wall / med(k)) if k in results else "–"
            rss = "–" if tool == "curl-limit" else "%d%s" % (statistics.median(v[1] for v in results[key]) // 1024,
                                                               " (heap)" if tool == "imagegate-inprocess" else "")
            crane_key = (image.name, "crane")
            lines.append("| %s (%s) | %s | %.2f | %s | %s | %s | %s | %d | %s | %s | %.2f | %s |" % (
                image.name, size(image.bytes), tool, wall, ratio("skopeo"), ratio("crane"), ratio("curl-limit"), rss,
                statistics.median(v[2] for v in results[key]), "no" if key in rewritten else "yes",
                "–" if tool == "curl-limit" else "%.2f" % med(key, 3), med(key, 4),
                "%.2f" % ((med(key, 3) + med(key, 4)) / (med(crane_key, 3) + med(crane_key, 4)))
                if crane_key in results and tool != "curl-limit" else "–"))
    csv.extend('"reactor",' + row.split(",", 1)[1] + ",0,0,0" for row in reactor_csv)
    lines.append("")
    lines.extend(extras)
    machine = ["- machine: %s, %d cores, %.1f GiB memory" % (platform.platform(), os.cpu_count(), os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1 << 30)),
               "- load average before/after: %.2f / %.2f" % (load_before[0], load_after[0]),
               "- java: %s" % subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0],
               "- skopeo: %s; crane: %s; regctl: %s; registry: %s" % (version(["skopeo", "--version"]), version([os.path.join(args.bin, "crane"), "version"]),
                                                                    version([os.path.join(args.bin, "regctl"), "version", "--format", "{{.VCSTag}}"]),
                                                                    version(["docker-registry", "--version"])),
               "- runs per tool and image: %d%s, tools alternating, fresh destination registry per run" % (runs, " (quick mode)" if args.quick else "")]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%MZ")
    report = "# imagegate import benchmark, %s\n\n%s\n\n%s\n" % (stamp, "\n".join(machine), "\n".join(lines))
    out_dir = os.path.join(ROOT, "bench", "results")
    os.makedirs(out_dir, exist_ok=True)
    name = "%s-%s%s" % (stamp, socket.gethostname()[:20], "-quick" if args.quick else "")
    with open(os.path.join(out_dir, name + ".md"), "w") as f:
        f.write(report)
    with open(os.path.join(out_dir, name + ".csv"), "w") as f:
        f.write("\n".join(csv) + "\n")
    print(report)
    shutil.rmtree(work, ignore_errors=True)


def size(n):
    return "%.0f MiB" % (n / (1 << 20)) if n >= (1 << 20) else "%d KiB" % (n // 1024)


if __name__ == "__main__":
    main()
