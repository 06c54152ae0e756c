"""Errors the index raises to its callers."""


class IndexUnavailable(RuntimeError):
    """No index can be opened in the folder: it is missing or was never built."""
