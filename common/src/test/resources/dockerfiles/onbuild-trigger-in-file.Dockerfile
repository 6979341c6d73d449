FROM alpine AS base
ONBUILD COPY --from=ghcr.io/org/tools:2 /t /t
FROM base
