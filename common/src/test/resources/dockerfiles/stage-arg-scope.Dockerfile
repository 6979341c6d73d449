FROM alpine AS a
ARG LATE=busybox
FROM ${LATE}
