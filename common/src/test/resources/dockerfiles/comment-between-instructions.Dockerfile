FROM alpine
# FROM commented:1
   # FROM indented-comment:1
FROM busybox
