ARG IMAGE=docker.io/library/alpine:3.20
FROM ${IMAGE#docker.io/}
FROM ${IMAGE##*/}
FROM ${IMAGE%:*}
FROM ${IMAGE%%/*}/library/busybox:1
FROM ${IMAGE/alpine/busybox}
FROM ${IMAGE//a/e}
