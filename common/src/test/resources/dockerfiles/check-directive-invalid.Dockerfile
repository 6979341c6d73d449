# check=bogus
FROM alpine
