"""The officer web UI and JSON API (aiohttp + jinja2) over the quarantine store and service."""
