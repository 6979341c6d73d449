ARG TAG
FROM alpine:${TAG-3.19}
ARG EMPTY=
FROM busybox:${EMPTY-x}1
FROM busybox:${EMPTY:-1.36}
