FROM \
  # a comment inside the continuation
  registry.example.com/base/\
alpine:3.20 AS base
