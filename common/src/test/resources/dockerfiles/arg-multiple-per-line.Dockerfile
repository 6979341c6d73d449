ARG REG=example.com NAME=app VER=1
FROM ${REG}/${NAME}:${VER}
