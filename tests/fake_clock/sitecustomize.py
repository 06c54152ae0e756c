"""Puts every Python process the tests start on the test run's shifted clock.

`pytest --fake-now=…` adds this folder to PYTHONPATH and sets the offset, so the scheduler,
web server and worker processes that tests start see the same moment as the tests do.
Only wall-clock time moves: `time.monotonic()` and sleeps stay real.
"""

import os

_offset = os.environ.get("COMMUNITY_TEST_CLOCK_OFFSET")
if _offset:
    import time

    import time_machine

    time_machine.travel(time.time() + float(_offset), tick=True).start()
