FROM alpine foo bar
