# Squid with ICAP and ssl_bump in front of Redline for the evaluation stack (context: deploy/).
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends squid-openssl openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY squid/squid.conf.snippet /etc/squid/conf.d/redline.conf
COPY compose/squid-entrypoint.sh /usr/local/bin/squid-entrypoint.sh
# Compose-specific: Redline's ICAP service is another container; evaluation clients may
# use the proxy from the compose network and the host's loopback.
RUN sed -i 's#icap://127.0.0.1:1344/reqmod#icap://redline:1344/reqmod#' /etc/squid/conf.d/redline.conf \
 && sed -i 's/^http_port 3128$/# http_port 3128 (redline.conf declares it with ssl-bump)/' /etc/squid/squid.conf \
 && printf 'acl evaluation src 172.28.0.0/16\nhttp_access allow evaluation\n' > /etc/squid/conf.d/00-evaluation.conf \
 && chmod 0755 /usr/local/bin/squid-entrypoint.sh
EXPOSE 3128
ENTRYPOINT ["/usr/local/bin/squid-entrypoint.sh"]
