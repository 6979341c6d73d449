RUN true
FROM alpine
