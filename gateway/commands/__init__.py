"""The ``redline`` commands besides ``serve`` (gateway/supervisor.py) and the quarantine's own.

One module per command: ``scan``, ``rules``, ``dkim``, ``tls`` and ``http``, each with
``add_parser(sub)``; ``redline quarantine``, ``audit``, ``user`` and ``ui`` live with the
quarantine (quarantine/cli.py, quarantine/ui/cli.py).
"""
