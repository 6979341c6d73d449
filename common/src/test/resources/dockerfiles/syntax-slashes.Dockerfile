// syntax=ghcr.io/acme/frontend:1
FROM alpine:3.20
