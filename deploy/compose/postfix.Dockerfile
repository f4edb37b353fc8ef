# Postfix in front of Redline for the evaluation stack (build context: deploy/).
FROM debian:bookworm-slim
RUN echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postfix ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && cp /usr/share/postfix/main.cf.debian /etc/postfix/main.cf
COPY postfix/main.cf.snippet /tmp/main.cf.snippet
COPY postfix/master.cf.snippet /tmp/master.cf.snippet
# The snippets as shipped, then what differs in compose: Redline is another container,
# and delivered mail goes to Mailpit instead of the Internet.
RUN cat /tmp/main.cf.snippet >> /etc/postfix/main.cf \
 && cat /tmp/master.cf.snippet >> /etc/postfix/master.cf \
 && sed -i 's/^127.0.0.1:10026 inet/10026 inet/' /etc/postfix/master.cf \
 && sed -i 's#-o mynetworks=127.0.0.0/8#-o mynetworks=172.28.0.0/16#; s#-o smtpd_authorized_xforward_hosts=127.0.0.0/8#-o smtpd_authorized_xforward_hosts=172.28.0.0/16#' /etc/postfix/master.cf \
 && postconf -e "content_filter=redline:[redline]:2525" \
      "mynetworks=127.0.0.0/8 172.28.0.0/16" "relayhost=[mailpit]:1025" \
      "myhostname=mx.example.org" "mydestination=" "maillog_file=/dev/stdout" \
      "smtp_tls_security_level=none" \
 && postfix check
EXPOSE 25
CMD ["postfix", "start-fg"]
