FROM alpine
RUN echo "<<FOO"
FROM busybox
COPY "<<BAR" /x
FROM nginx:1.27
