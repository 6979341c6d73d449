FROM alpine AS tools
ONBUILD RUN --mount=from=busybox:1.36 true
FROM tools AS deps
FROM deps AS deps
