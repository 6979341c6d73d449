FROM alpine
RUN <<E-OF
FROM evil
E-OF
COPY <<-'X.Y' /etc/motd
	FROM evil2
	X.Y
FROM busybox
