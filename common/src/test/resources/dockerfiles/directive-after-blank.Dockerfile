
# syntax=evil/frontend
FROM alpine
