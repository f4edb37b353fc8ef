"""Redline's quarantine: the store of held items, officer decisions and the audit log."""
