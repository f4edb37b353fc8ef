"""Redline's inspection pipeline, independent of any network protocol.

Bytes become Parts (extract/), Parts are read by engines (engines/), and the policy
turns their Hits into a Verdict. Nothing here imports ``gateway`` or ``quarantine``.
"""
