FROM alpine
RUN <<EOF
FROM evil
echo hi
EOF
COPY <<-"END" /etc/motd
	FROM evil2
	END
FROM busybox
