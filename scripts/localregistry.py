"""Local CNCF distribution registries and generated images, shared by the quickstart and the benchmarks:
a registry started on a free loopback port with its access log counted, and images (random layers, Alpine-like
images whose packages the fixture vulnerability DB knows, multi-platform indexes) pushed over plain HTTP."""
import gzip
import hashlib
import io
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import tarfile
import time

ACCESS = re.compile(r'"([A-Z]+) (\S+) HTTP/[0-9.]+" (\d{3}) ')
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Registry:
    def __init__(self, work, name):
        self.dir = os.path.join(work, name)
        self.port = free_port()
        self.proc = None
        self.log = os.path.join(self.dir, "registry.log")
        self.mark = 0

    @property
    def host(self):
        return "127.0.0.1:%d" % self.port

    def start(self, fresh=True):
        if fresh and os.path.exists(self.dir):
            shutil.rmtree(self.dir)
            # the last run's writes reach the disk now, not during the next timed run
            os.sync()
        os.makedirs(os.path.join(self.dir, "storage"), exist_ok=True)
        config = os.path.join(self.dir, "config.yml")
        with open(config, "w") as f:
            f.write("version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: false\n"
                    "storage:\n  filesystem:\n    rootdirectory: %s/storage\n  delete:\n    enabled: true\n"
                    "http:\n  addr: %s\n" % (self.dir, self.host))
        self.proc = subprocess.Popen(["docker-registry", "serve", config], stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                self.mark = os.path.getsize(self.log)
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("docker-registry did not start on %s" % self.host)

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    def set_mark(self):
        time.sleep(0.2)
        self.mark = os.path.getsize(self.log)

    def requests(self):
        time.sleep(0.3)  # access-log lines are written just after responses
        with open(self.log, "rb") as f:
            f.seek(self.mark)
            text = f.read().decode("utf-8", "replace")
        return [m.groups() for m in ACCESS.finditer(text)]


# ---------------------------------------------------------------- image generation

def write_random(path, size):
    with open(path, "wb") as f:
        left = size
        while left > 0:
            chunk = min(left, 4 << 20)
            f.write(os.urandom(chunk))
            left -= chunk
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


def http_request(host, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(host, timeout=600)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, r.getheader("Location"), r.getheader("Docker-Content-Digest"), data


def push_blob(host, repo, path, digest):
    status, location, _, _ = http_request(host, "POST", "/v2/%s/blobs/uploads/" % repo)
    assert status == 202, status
    location = location.split(host, 1)[-1]
    with open(path, "rb") as f:
        status, _, _, data = http_request(host, "PUT", location + ("&" if "?" in location else "?") + "digest=" + digest, body=f,
                                          headers={"Content-Type": "application/octet-stream", "Content-Length": str(os.path.getsize(path))})
    assert status == 201, (status, data)


def push_manifest(host, repo, ref, media_type, body):
    status, _, _, data = http_request(host, "PUT", "/v2/%s/manifests/%s" % (repo, ref), body=body, headers={"Content-Type": media_type})
    assert status == 201, (status, data)


def write_config(work, name, platform_, diff_ids):
    """An image config for this platform and these layers, written as a blob file: (path, digest, size, mediatype)."""
    os_, arch, variant = platform_
    config = {"architecture": arch, "os": os_, "rootfs": {"type": "layers", "diff_ids": diff_ids}}
    if variant:
        config["variant"] = variant
    data = json.dumps(config).encode()
    path = os.path.join(work, name + "-config")
    with open(path, "wb") as f:
        f.write(data)
    return path, "sha256:" + hashlib.sha256(data).hexdigest(), len(data), "application/vnd.oci.image.config.v1+json"


def make_image(work, name, layer_sizes, platform_=("linux", "amd64", None)):
    """Writes blob files; returns (manifest bytes, [(path, digest, size, mediatype)])."""
    blobs = []
    for i, size in enumerate(layer_sizes):
        path = os.path.join(work, "%s-layer%d" % (name, i))
        blobs.append((path, write_random(path, size), size, "application/vnd.oci.image.layer.v1.tar+gzip"))
    config_blob = write_config(work, name, platform_, [b[1] for b in blobs])
    manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                "config": {"mediaType": config_blob[3], "digest": config_blob[1], "size": config_blob[2]},
                "layers": [{"mediaType": b[3], "digest": b[1], "size": b[2]} for b in blobs]}
    return json.dumps(manifest).encode(), [config_blob] + blobs


PUSHED = {}  # (host, digest) -> a repository it was pushed to


class Image:
    """A pushable image: manifests (children first, top last) and blob files."""

    def __init__(self, name, repo, manifests, blobs, key):
        self.name, self.repo, self.manifests, self.blobs, self.key = name, repo, manifests, blobs, key
        self.digest = "sha256:" + hashlib.sha256(manifests[-1][2]).hexdigest()
        self.bytes = sum(b[2] for b in blobs)

    def push(self, host, repo=None):
        repo = repo or self.repo
        done = set()
        for path, digest, _, _ in self.blobs:
            if digest in done:
                continue
            done.add(digest)
            # a blob another image pushed already (a shared base layer) is mounted from there, not sent again
            source = PUSHED.get((host, digest))
            if source is None or http_request(host, "POST", "/v2/%s/blobs/uploads/?mount=%s&from=%s" % (repo, digest, source))[0] != 201:
                push_blob(host, repo, path, digest)
            PUSHED.setdefault((host, digest), repo)
        for ref, media, body in self.manifests:
            push_manifest(host, repo, ref, media, body)


def alpine_image(work, name, packages, extra_mib=0, platform_=("linux", "amd64", None)):
    """A tiny Alpine 3.22 filesystem Trivy recognises, with these apk packages, and optionally a layer of `extra_mib` MiB
    of random data (for realistic scan sizes): written as blob files."""
    installed = "".join("P:%s\nV:%s\nA:x86_64\no:%s\n\n" % p for p in packages).encode()
    blobs = []

    def blob(suffix, data, media):
        path = os.path.join(work, name + suffix)
        with open(path, "wb") as f:
            f.write(data)
        blobs.append((path, "sha256:" + hashlib.sha256(data).hexdigest(), len(data), media))
        return blobs[-1]

    def tar_of(files):
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
            for path, data in files:
                info = tarfile.TarInfo(path)
                info.size, info.mtime, info.mode = len(data), 1700000000, 0o644
                tar.addfile(info, io.BytesIO(data))
        return out.getvalue()

    raws = [tar_of([("etc/alpine-release", b"3.22.0\n"), ("lib/apk/db/installed", installed)])]
    if extra_mib:
        raws.append(tar_of([("opt/%s/data.bin" % name, os.urandom(extra_mib << 20))]))
    os_, arch, variant = platform_
    config = {"architecture": arch, "os": os_, "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(r).hexdigest() for r in raws]}}
    if variant:
        config["variant"] = variant
    c = blob("-config", json.dumps(config).encode(), "application/vnd.oci.image.config.v1+json")
    layers = [blob("-layer%d" % i, gzip.compress(r, compresslevel=1, mtime=0), "application/vnd.oci.image.layer.v1.tar+gzip")
              for i, r in enumerate(raws)]
    manifest = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                           "config": {"mediaType": c[3], "digest": c[1], "size": c[2]},
                           "layers": [{"mediaType": l[3], "digest": l[1], "size": l[2]} for l in layers]}).encode()
    return Image(name, "library/" + name, [("1", OCI_MANIFEST, manifest)], [c] + layers, name)


def debian_base_layer(work, mib=40):
    """A Debian rootfs layer as a scanner sees a real base image: this machine's own `/etc/os-release`, dpkg status
    and file lists, and about `mib` MiB of its shared libraries (the first, by name, that fit), tarred with fixed
    times and gzipped once: (path, digest, size, diff_id). Benchmarks that need Trivy to do a real image's work per
    platform (unpacking, walking the files, parsing the package database) use it as a shared first layer."""
    import glob
    if not os.path.exists("/var/lib/dpkg/status"):
        raise SystemExit("a Debian-like layer needs this machine's /var/lib/dpkg/status (a Debian or Ubuntu host)")
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as tar:
        def add(path):
            info = tar.gettarinfo(path, arcname=path.lstrip("/"))
            info.mtime, info.uid, info.gid, info.uname, info.gname = 1700000000, 0, 0, "root", "root"
            with open(path, "rb") as f:
                tar.addfile(info, f)
        for path in ["/etc/os-release", "/etc/debian_version", "/var/lib/dpkg/status"] + sorted(glob.glob("/var/lib/dpkg/info/*.list")):
            if os.path.isfile(path):
                add(path)
        total = 0
        for path in sorted(glob.glob("/usr/lib/x86_64-linux-gnu/*.so.*") + glob.glob("/usr/lib/aarch64-linux-gnu/*.so.*")):
            if os.path.islink(path) or not os.path.isfile(path) or total + os.path.getsize(path) > mib << 20:
                continue
            add(path)
            total += os.path.getsize(path)
    raw = out.getvalue()
    data = gzip.compress(raw, compresslevel=6, mtime=0)
    path = os.path.join(work, "debian-base.tar.gz")
    with open(path, "wb") as f:
        f.write(data)
    return path, "sha256:" + hashlib.sha256(data).hexdigest(), len(data), "sha256:" + hashlib.sha256(raw).hexdigest()


def debian_image(work, name, base, platform_=("linux", "amd64", None)):
    """An image of `base` (debian_base_layer()) and a small layer of its own, so every image has its own digest."""
    path, digest, size, diff_id = base
    own = io.BytesIO()
    with tarfile.open(fileobj=own, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        data = ("%s %s\n" % (name, "/".join(p for p in platform_ if p))).encode()
        info = tarfile.TarInfo("etc/imagegate-bench")
        info.size, info.mtime, info.mode = len(data), 1700000000, 0o644
        tar.addfile(info, io.BytesIO(data))
    raw = own.getvalue()
    layer = gzip.compress(raw, compresslevel=1, mtime=0)
    layer_path = os.path.join(work, name + "-own")
    with open(layer_path, "wb") as f:
        f.write(layer)
    media = "application/vnd.oci.image.layer.v1.tar+gzip"
    blobs = [write_config(work, name, platform_, [diff_id, "sha256:" + hashlib.sha256(raw).hexdigest()]),
             (path, digest, size, media),
             (layer_path, "sha256:" + hashlib.sha256(layer).hexdigest(), len(layer), media)]
    manifest = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                           "config": {"mediaType": blobs[0][3], "digest": blobs[0][1], "size": blobs[0][2]},
                           "layers": [{"mediaType": b[3], "digest": b[1], "size": b[2]} for b in blobs[1:]]}).encode()
    return Image(name, "library/" + name, [("1", OCI_MANIFEST, manifest)], blobs, name)


def alpine_index(work, name, images):
    """An OCI index of alpine_image()s (their platforms from their configs)."""
    children, blobs, entries = [], [], []
    for img in images:
        body = img.manifests[-1][2]
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        config = json.load(open(img.blobs[0][0]))
        entry = {"mediaType": OCI_MANIFEST, "digest": digest, "size": len(body),
                 "platform": {"architecture": config["architecture"], "os": config["os"]}}
        if config.get("variant"):
            entry["platform"]["variant"] = config["variant"]
        children.append((digest, OCI_MANIFEST, body))
        blobs += img.blobs
        entries.append(entry)
    index = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}).encode()
    return Image(name, "library/" + name, children + [("1", OCI_INDEX, index)], blobs, name)


def multi_image(work, key, repo, label, per_layer):
    """A 4-platform index, each platform a config and 4 layers of `per_layer` random bytes."""
    plats = [("linux", "amd64", None), ("linux", "arm64", "v8"), ("linux", "arm", "v7"), ("linux", "s390x", None)]
    children, blobs, entries = [], [], []
    for i, p in enumerate(plats):
        m, b = make_image(work, "%s%d" % (key, i), [per_layer] * 4, p)
        d = "sha256:" + hashlib.sha256(m).hexdigest()
        children.append((d, OCI_MANIFEST, m))
        blobs += b
        entry = {"mediaType": OCI_MANIFEST, "digest": d, "size": len(m), "platform": {"architecture": p[1], "os": p[0]}}
        if p[2]:
            entry["platform"]["variant"] = p[2]
        entries.append(entry)
    index = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}).encode()
    return Image(label, repo, children + [("1", OCI_INDEX, index)], blobs, key)


def build_images(work, quick, which):
    """The images named in `which` (multi, big, many), generated as blob files."""
    mib = 1 << 20
    images = []
    if "multi" in which:
        # 4-platform index: each platform a config and 4 layers (8 MiB each: 128 MiB in all; quick: 1 MiB)
        images.append(multi_image(work, "multi", "bench/multi", "multi-arch 4×32 MiB" if not quick else "multi-arch (quick)",
                                  (1 if quick else 8) * mib))
    if "big" in which:
        # one 1 GiB layer (quick: 64 MiB)
        m, b = make_image(work, "big", [(64 if quick else 1024) * mib])
        images.append(Image("one 1 GiB layer" if not quick else "one 64 MiB layer", "bench/big", [("1", OCI_MANIFEST, m)], b, "big"))
    if "many" in which:
        # 60 small layers (quick: 10), 64 KiB to 1 MiB each
        rnd = __import__("random").Random(60)
        sizes = [rnd.randint(64 << 10, 1 << 20) for _ in range(10 if quick else 60)]
        m, b = make_image(work, "many", sizes)
        images.append(Image("%d small layers" % len(sizes), "bench/many", [("1", OCI_MANIFEST, m)], b, "many"))
    if not images:
        raise SystemExit("--images names none of multi, big, many")
    return images


# ---------------------------------------------------------------- tools

def target_digest(dst, image):
    conn = http.client.HTTPConnection(dst.host)
    conn.request("HEAD", "/v2/%s/manifests/1" % image.repo, headers={"Accept": OCI_INDEX + ", " + OCI_MANIFEST})
    r = conn.getresponse()
    r.read()
    return r.getheader("Docker-Content-Digest")
