ARG TOOLS=ghcr.io/org/tools:2
FROM alpine
ARG TOOLS
COPY --from=$TOOLS /t /t
RUN --mount=from=${TOOLS},target=/x true
