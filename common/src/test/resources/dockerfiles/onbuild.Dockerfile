FROM alpine
ONBUILD COPY --from=docker.io/library/busybox:1.36 /bin/busybox /bin/
