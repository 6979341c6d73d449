FROM alpine:3.20 AS base
ONBUILD COPY --bogus=1 a b
FROM base
