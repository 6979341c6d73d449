#!/usr/bin/env python3
"""Quickstart: two local registries, a generated multi-arch image, and imagegate import between them."""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import bench  # noqa: E402  (the benchmark's registry runner and image generator)


def main():
    work = tempfile.mkdtemp(prefix="imagegate-quickstart-")
    source, target = bench.Registry(work, "source"), bench.Registry(work, "target")
    try:
        source.start()
        target.start()
        blobs = os.path.join(work, "blobs")
        os.makedirs(blobs)
        image = bench.build_images(blobs, quick=True, which=["multi"])[0]
        image.push(source.host, "library/demo")
        print("pushed a 4-platform image to %s/library/demo:1 (%s)\n" % (source.host, image.digest))
        command = [os.path.join(ROOT, "bin", "imagegate"), "import", source.host + "/library/demo:1", target.host + "/base/demo:1"]
        for attempt in ("import", "import again"):
            print("$ " + " ".join(["imagegate"] + command[1:]), flush=True)
            subprocess.run(command, check=True)
            print(flush=True)
        copied = bench.target_digest(target, bench.Image(image.name, "base/demo", image.manifests, image.blobs, image.key))
        print("%s/base/demo:1 holds %s: %s" % (target.host, copied, "identical to the source" if copied == image.digest else "DIFFERENT"))
    finally:
        source.stop()
        target.stop()


if __name__ == "__main__":
    main()
