FROM alpine
FROM busybox
COPY --from=1 /a /b
