FROM alpine AS deps
FROM alpine
RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=deps,target=/d --mount=type=bind,from=ghcr.io/org/tools:2,source=/bin,target=/t true
