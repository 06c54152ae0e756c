"""The community's side of the search index: what gets indexed, and keeping it in step."""
