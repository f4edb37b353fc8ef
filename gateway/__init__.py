"""Redline's network edges and process wiring: one room per listener, then the supervisor and the CLI.

==========================  ==============================================================
``cli.py``                  the ``redline`` entry point: every subcommand is registered here
``supervisor.py``           ``redline serve``: binds the listeners, forks and restarts workers,
                            reloads on SIGHUP, drains on SIGTERM
``listeners.py``            what a worker serves and how it builds each listener
``background.py``           the one background process: outbox delivery, retention, gauges
``config.py``               the whole config file, assembled from each room's sections
``address.py``              ``HOST:PORT`` parsing shared by every room's config
``smtp/``                   the mail gateway: protocol, DATA reader, session handler and the
                            decision, relay to the upstream, DKIM, Maildir outbox, AUTH
``web/``                    the web side: forward proxy, ICAP service, upload inspection,
                            block pages
``ops/``                    operations: Prometheus metrics, /healthz and /readyz, logs
``commands/``               the other ``redline`` commands: scan, rules, dkim, tls, http
==========================  ==============================================================

Layers, from the top: ``cli`` → ``supervisor``, ``commands`` → ``listeners``,
``background`` → ``config`` → the rooms ``smtp`` and ``web`` (which never import each
other) → ``ops`` → ``address`` → ``quarantine/`` → ``filters/``. Nothing imports from a
layer above its own; ``tests/unit/test_layers.py`` fails on a new back-arrow. What the
quarantine needs from the process (metrics, the config loader) is passed in.
"""
