"""Redline's network edges and process wiring: listeners, relay, config and the CLI."""
