FROM golang:1.23 AS build
RUN go build ./...
FROM build AS test
FROM gcr.io/distroless/static@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
COPY --from=build /out /app
COPY --from=0 /a /b
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
