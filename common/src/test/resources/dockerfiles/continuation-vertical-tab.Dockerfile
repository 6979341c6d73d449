FROM alpine
RUN echo hi \
FROM busybox
RUN echo hi \ 
FROM nginx:1.27
