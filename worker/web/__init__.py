"""The HTTP surface: Prometheus metrics, health and readiness probes, and the status page (no Celery here)."""
