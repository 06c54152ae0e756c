"""Bolt runs listeners on worker threads, outside any Flask request: give them the app."""

from concurrent.futures import Executor, ThreadPoolExecutor

from flask import Flask


class AppContextExecutor(Executor):
    """Runs each listener inside an app context of `app`, on the executor it wraps."""

    def __init__(self, app: Flask, inner: Executor | None = None):
        self.app = app
        self.inner = inner or ThreadPoolExecutor(max_workers=10, thread_name_prefix="slack")

    def submit(self, fn, /, *args, **kwargs):
        def in_app_context():
            with self.app.app_context():
                return fn(*args, **kwargs)

        return self.inner.submit(in_app_context)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait, cancel_futures=cancel_futures)
