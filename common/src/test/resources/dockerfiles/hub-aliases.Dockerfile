FROM index.docker.io/library/nginx:1
FROM registry-1.docker.io/bitnami/redis:7
