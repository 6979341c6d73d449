# a commentFROM evil
FROM alpine:3.20
RUN echo "ab"
FROM busybox:1.36
