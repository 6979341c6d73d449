FROM alpine
RUN <<ONE cat <<TWO
FROM x
ONE
FROM y
TWO
FROM busybox:1
