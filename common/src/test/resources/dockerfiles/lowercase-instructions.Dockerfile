from  quay.io/prometheus/node-exporter:v1.8.0   as   Exporter
copy --from=exporter /bin/node_exporter /x
