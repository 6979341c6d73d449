ARG REGISTRY=registry.example.com
ARG VERSION
ARG BASE="${REGISTRY}/base/python:${VERSION:-3.12}-slim"
FROM $BASE
FROM ${REGISTRY}/tools/${TOOL:-jq}:1
FROM alpine:${VERSION:+edge}
