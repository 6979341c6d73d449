FROM alpine AS build
FROM busybox AS build
FROM build
COPY --from=build /a /b
