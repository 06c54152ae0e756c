"""The weekly newsletter: subscriptions, the digest, sending and the archive."""
