FROM alpine AS a
FROM alpine
COPY --chmod=0755 --link --from=ghcr.io/org/bin:1 /x /x
