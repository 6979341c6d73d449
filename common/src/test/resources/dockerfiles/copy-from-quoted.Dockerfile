FROM alpine
COPY --from="busybox:1.36" /bin/busybox /b
