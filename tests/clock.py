"""The test run's clock: real, or shifted to a chosen moment with `pytest --fake-now=ISO`.

CI runs the suite again at several such moments (a Monday, a Thursday, a Sunday across a
daylight-saving change), so a test that only passes on some days fails there.
"""

import os
import time
from datetime import datetime
from pathlib import Path

import time_machine

OFFSET_VARIABLE = "COMMUNITY_TEST_CLOCK_OFFSET"
_SITECUSTOMIZE_DIR = Path(__file__).parent / "fake_clock"


def shift_clock(moment: str) -> time_machine.travel | None:
    """Starts this process's clock at `moment` and hands the offset to every child process.

    Returns None in a child (an xdist worker) whose clock its sitecustomize already shifted.
    """
    if os.environ.get(OFFSET_VARIABLE):
        return None
    destination = datetime.fromisoformat(moment)
    if destination.tzinfo is None:
        raise ValueError(f"--fake-now needs a UTC offset, as in {moment}+00:00")
    offset = destination.timestamp() - time.time()
    os.environ[OFFSET_VARIABLE] = repr(offset)
    paths = [str(_SITECUSTOMIZE_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    traveller = time_machine.travel(destination, tick=True)
    traveller.start()
    return traveller
