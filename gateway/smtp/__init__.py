"""The mail gateway: receives outbound mail over SMTP, has it inspected, then relays, holds or refuses it.

================  ==========================================================================
``listener.py``   ``SmtpGateway``: the parts built from the config; start, drain, stop
``protocol.py``   the SMTP wire protocol (aiosmtpd held to RFC 5321 and 2920, XFORWARD)
``data.py``       reading DATA: end of data, dot-stuffing, bare CR/LF (smuggling), limits
``session.py``    the session state the protocol and the handler share
``handler.py``    ``MailHandler``: who may send, RCPT checks upstream, AUTH, and the decision
                  what to do with each mail (relay, hold, refuse)
``message.py``    one received message and what is read from its header
``scanner.py``    scanner processes, one message at a time off the event loop
``relay.py``      SMTP client transactions to the upstream MTA (also for released mail)
``dkim.py``       DKIM signing with per-domain keys
``maildir.py``    the Maildir outbox used when no upstream is configured
``auth.py``       SMTP AUTH (PLAIN, LOGIN) against the sender accounts
``config.py``     the [smtp], [smtps], [upstream], [dkim] and [org] sections
================  ==========================================================================

The protocol speaks SMTP and decides nothing; the handler decides and speaks no SMTP
beyond the reply line it returns.
"""
