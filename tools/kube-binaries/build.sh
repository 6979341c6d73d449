#!/usr/bin/env bash
# Builds the binaries KubernetesJobTest (cli/) runs: kube-apiserver, kube-controller-manager and kubectl of Kubernetes
# v1.37.2 (./kubernetes) and etcd v3.7.3 (./etcd), from the Go module proxy; about 10 minutes once on 2 cores.
#
# They land where fabric8 kube-api-test looks in offline mode: DIR/k8s/<version>-<os>-<arch>/{etcd,kube-apiserver,
# kubectl}, with kube-controller-manager beside them (kube-api-test does not start one; the test does). DIR is
# $IMAGEGATE_KUBE_DIR, else ~/.cache/imagegate/kube. A directory built from the same go.mod and go.sum files is kept:
# then this script only checks a stamp. Prints the version directory.
set -euo pipefail
cd "$(dirname "$0")"

KUBE_VERSION=1.37.2
DIR="${IMAGEGATE_KUBE_DIR:-$HOME/.cache/imagegate/kube}"
TARGET="$DIR/k8s/$KUBE_VERSION-$(go env GOOS)-$(go env GOARCH)"
# what the binaries are built from: a change to either module rebuilds them
STAMP="$(cat kubernetes/go.mod kubernetes/go.sum etcd/go.mod etcd/go.sum build.sh | sha256sum | cut -c1-64)"

if [ -f "$TARGET/.stamp" ] && [ "$(cat "$TARGET/.stamp")" = "$STAMP" ]; then
  echo "$TARGET"
  exit 0
fi

echo "kube-binaries: building Kubernetes $KUBE_VERSION and etcd (about 10 minutes once)" >&2
mkdir -p "$DIR/k8s"
WORK="$(mktemp -d "$DIR/k8s/.build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
start=$(date +%s)
(cd etcd && go build -trimpath -o "$WORK/etcd" go.etcd.io/etcd/server/v3)
(cd kubernetes && go build -trimpath -o "$WORK/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl)
for binary in etcd kube-apiserver kube-controller-manager kubectl; do
  [ -x "$WORK/$binary" ] || { echo "kube-binaries: $binary was not built" >&2; exit 1; }
done
echo "$STAMP" > "$WORK/.stamp"
# replaced whole, so a reader never sees half a directory
rm -rf "$TARGET"
mv "$WORK" "$TARGET"
trap - EXIT
echo "kube-binaries: built in $(($(date +%s) - start)) s: $TARGET" >&2
echo "$TARGET"
