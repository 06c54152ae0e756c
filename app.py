"""WSGI entry point: `flask --app app …` and `gunicorn app:app`."""

import gc

# Building the app creates some 100,000 objects that live as long as the process (SQLAlchemy,
# the models, the routes). With the collector on, Python scans them again and again while
# importing and once more at exit: half of every `flask` command's start on a 2-core machine.
# So collection waits until the app is built, and what exists then is frozen out of it.
gc.disable()

from community import create_app  # noqa: E402

app = create_app()
gc.freeze()
gc.enable()
