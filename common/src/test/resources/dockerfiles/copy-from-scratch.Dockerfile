FROM alpine
COPY --from=scratch / /
RUN --mount=type=bind,target=/m true
