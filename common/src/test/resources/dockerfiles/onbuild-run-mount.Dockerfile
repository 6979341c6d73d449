FROM alpine
ONBUILD RUN --mount=type=bind,from=ghcr.io/org/cache:1,target=/c true
