"""Adapters to the outside world: plain values in and out, no knowledge of the models."""
