"""The outside world's feeds and pages: safe fetching, RSS/Atom parsing, podcast extras,
OPML and page metadata. Plain values in and out; nothing here knows the database models."""
