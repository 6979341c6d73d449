FROM alpine
RUN echo a \
    b \
  && echo c
FROM busybox
