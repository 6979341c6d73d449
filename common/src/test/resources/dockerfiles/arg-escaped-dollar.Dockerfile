FROM busybox
RUN echo \$HOME
