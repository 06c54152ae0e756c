"""Fetching and parsing RSS/Atom feeds, podcast extras and OPML."""
