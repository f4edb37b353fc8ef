#!/bin/sh
# Create the evaluation's interception CA and certificate cache on first start, then run Squid.
set -eu
if [ ! -f /etc/squid/ssl/ca-bundle.pem ]; then
  mkdir -p /etc/squid/ssl
  openssl req -new -newkey rsa:3072 -sha256 -days 365 -nodes -x509 \
    -subj "/CN=Redline evaluation inspection CA" \
    -keyout /etc/squid/ssl/ca.key -out /etc/squid/ssl/ca.pem
  cat /etc/squid/ssl/ca.key /etc/squid/ssl/ca.pem > /etc/squid/ssl/ca-bundle.pem
  chown -R proxy:proxy /etc/squid/ssl
  chmod 0600 /etc/squid/ssl/ca.key /etc/squid/ssl/ca-bundle.pem
fi
if [ ! -d /var/lib/squid/ssl_db ]; then
  /usr/lib/squid/security_file_certgen -c -s /var/lib/squid/ssl_db -M 16MB
  chown -R proxy:proxy /var/lib/squid/ssl_db
fi
exec squid -N -d 1
