#!/usr/bin/env -S docker build -f
# syntax=ghcr.io/acme/frontend:1
FROM alpine:3.20
