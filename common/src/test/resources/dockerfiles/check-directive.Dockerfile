# check=skip=JSONArgsRecommended
# syntax=docker/dockerfile:1.7
FROM alpine
