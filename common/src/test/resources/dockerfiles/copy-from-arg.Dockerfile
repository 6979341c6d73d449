ARG TOOLS=ghcr.io/org/tools:2
FROM alpine
COPY --from=$TOOLS /t /t
