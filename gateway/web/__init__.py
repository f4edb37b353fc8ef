"""The web side: uploads are inspected before they leave, by the forward proxy or through ICAP.

==================  ========================================================================
``proxy.py``        the explicit HTTP forward proxy (``[http]``), CONNECT per policy
``icap.py``         the ICAP service (RFC 3507, REQMOD) for Squid and other proxies
``uploads.py``      what both share: request body → parts → decision, hold, sign-up blocking
``scanner.py``      the upload inspector's scanner processes
``block_page.py``   the 403 page a held upload gets (``templates/block.<lang>.html``)
``config.py``       the [http], [icap] and [signup] sections
==================  ========================================================================
"""
