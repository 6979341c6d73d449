FROM alpine
FROM
