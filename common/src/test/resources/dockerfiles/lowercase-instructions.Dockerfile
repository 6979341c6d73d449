from  quay.io/prometheus/node-exporter:v1.8.0   as   Exporter
From alpine:3.20
copy --from=exporter /bin/node_exporter /x
