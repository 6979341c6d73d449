FROM alpine
RUN --mount=from=0,target=/x true
