FROM alpine
COPY <<'EOF' /etc/x
FROM z
EOF
