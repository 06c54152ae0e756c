"""The scheduler process: APScheduler 3 behind a database lease, so one process runs the jobs."""
