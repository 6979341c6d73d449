#!/usr/bin/env python3
"""Quickstart, offline, in one command: import, then the whole vetting story.

1. Two local registries stand in for a public one and your private one.
2. import: a generated 4-platform image is copied into the private registry, then imported again (nothing to copy).
3. vet: a clean image and a vulnerable one are vetted; the clean one is promoted, the vulnerable one refused.
4. rewrite --pin points a sample Dockerfile at the vetted copy; gate --require-vetted passes on it, and fails
   (naming the command that fixes it) on a Dockerfile that uses the vulnerable image.
"""
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import localregistry  # noqa: E402  (local registries and generated images, shared with the benchmarks)

IMAGEGATE = os.path.join(ROOT, "bin", "imagegate")


def run(args, expect=0, cwd=None):
    """Prints the command as a user would type it, runs it, and checks its exit code."""
    print("$ imagegate " + " ".join(args), flush=True)
    code = subprocess.run([IMAGEGATE] + args, cwd=cwd).returncode
    if code != expect:
        sys.exit("quickstart: `imagegate %s` exited %d, expected %d" % (args[0], code, expect))
    print(flush=True)


def fixture_db():
    """Trivy's cache with the project's own small vulnerability DB (built with Go, once a day): no internet needed."""
    cache = os.path.join(ROOT, ".cache", "quickstart-trivy")
    metadata = os.path.join(cache, "db", "metadata.json")
    if not os.path.exists(metadata) or time.time() - os.path.getmtime(metadata) > 12 * 3600:
        print("building the fixture vulnerability DB (tools/trivy-fixture-db)", flush=True)
        subprocess.run(["go", "run", ".", "-out", cache], cwd=os.path.join(ROOT, "tools", "trivy-fixture-db"), check=True)
    return cache


def main():
    work = tempfile.mkdtemp(prefix="imagegate-quickstart-")
    public, private = localregistry.Registry(work, "public"), localregistry.Registry(work, "private")
    try:
        public.start()
        private.start()
        blobs = os.path.join(work, "blobs")
        os.makedirs(blobs)

        print("== import: a 4-platform image, twice ==\n")
        image = localregistry.build_images(blobs, quick=True, which=["multi"])[0]
        image.push(public.host, "library/demo")
        print("pushed a 4-platform image to %s/library/demo:1 (%s)\n" % (public.host, image.digest))
        for _ in ("import", "import again"):
            run(["import", public.host + "/library/demo:1", private.host + "/base/demo:1"])
        copied = localregistry.target_digest(private, localregistry.Image(image.name, "base/demo", image.manifests, image.blobs, image.key))
        print("%s/base/demo:1 holds %s: %s\n" % (private.host, copied, "identical to the source" if copied == image.digest else "DIFFERENT"))

        print("== vet, rewrite, gate ==\n")
        localregistry.alpine_image(blobs, "app", [("busybox", "1.37.0-r30", "busybox")]).push(public.host)
        localregistry.alpine_image(blobs, "legacy", [("openssl", "3.5.0-r0", "openssl"), ("busybox", "1.37.0-r30", "busybox")]).push(public.host)
        print("pushed %s/library/app:1 (clean) and %s/library/legacy:1 (openssl with a critical flaw)\n" % (public.host, public.host))
        scan = ["--cache-dir", fixture_db(), "--skip-db-update", "--skip-java-db-update", "--offline-scan"]
        run(["vet"] + scan + [public.host + "/library/app:1", private.host + "/base/app:1"])
        run(["vet"] + scan + [public.host + "/library/legacy:1", private.host + "/base/legacy:1"], expect=1)
        run(["verdict", private.host + "/base/app:1"])

        project = os.path.join(work, "project")
        os.makedirs(project)
        with open(os.path.join(project, "Dockerfile"), "w") as f:
            f.write("FROM %s/library/app:1\nRUN echo built\n" % public.host)
        with open(os.path.join(project, "legacy.Dockerfile"), "w") as f:
            f.write("FROM %s/library/legacy:1\n" % public.host)
        mapping = "%s/library=%s/base" % (public.host, private.host)
        run(["rewrite", "--map", mapping, "--pin", "Dockerfile"], cwd=project)
        print(open(os.path.join(project, "Dockerfile")).read())
        trusted = private.host + "/base"
        run(["gate", "--trusted", trusted, "--require-vetted", "Dockerfile"], cwd=project)
        run(["gate", "--trusted", trusted, "--require-vetted", "legacy.Dockerfile"], cwd=project, expect=1)
        print("quickstart done: the clean image was vetted and promoted; the vulnerable one never reached %s" % trusted)
    finally:
        public.stop()
        private.stop()


if __name__ == "__main__":
    main()
