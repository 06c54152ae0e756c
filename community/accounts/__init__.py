"""Organiser accounts: creating them, logging in and out, and slowing down password guessing."""
