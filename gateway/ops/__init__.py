"""Operations: what the gateway tells the people who run it.

==============  ==========================================================================
``metrics.py``  every Prometheus metric, and one function per event for the listeners
``health.py``   the metrics listener: /metrics, /healthz, /readyz and their checks
``logs.py``     log set-up (text or JSON) and the one decision line per mail or upload
``config.py``   the [metrics] and [logging] sections, the multiprocess metrics directory
==============  ==========================================================================
"""
