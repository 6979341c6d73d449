FROM alpine
COPY --from=later /a /b
FROM busybox AS later
