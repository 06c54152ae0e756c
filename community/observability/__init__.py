"""Logging, Prometheus metrics and the health check."""
