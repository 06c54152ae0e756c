"""The organisers' side of the web UI: the shared layout and the dashboard."""
