# syntax=docker/dockerfile:1.7 --with-extra words
FROM alpine:3.20
