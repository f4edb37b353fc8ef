"""Redline's quarantine: the store of held items, officer decisions and the audit log.

It sits between the listeners (``gateway``), which hold items here, and the inspection
pipeline (``filters``), whose types it stores. It never imports ``gateway``: what it
needs from the running process comes in from above (``metrics.py`` is the interface for
the counters it records; the commands in ``cli.py`` and ``ui/cli.py`` get the config
loader from the ``redline`` entry point).
"""
