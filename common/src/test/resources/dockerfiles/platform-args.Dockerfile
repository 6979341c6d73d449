FROM --platform=$BUILDPLATFORM golang:1.23 AS build
FROM example.com/runtime-${TARGETARCH}:1
