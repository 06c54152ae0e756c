"""Sending email: composing messages, and delivering them over SMTP or into an outbox folder."""
