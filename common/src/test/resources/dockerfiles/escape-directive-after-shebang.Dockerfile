#!/bin/sh
# escape=`
FROM alpine
RUN echo `
FROM evil
