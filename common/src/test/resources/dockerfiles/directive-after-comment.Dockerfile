# a comment first
# syntax=evil/frontend
FROM alpine
