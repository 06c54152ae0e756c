"""One-on-one pairing: who meets whom each round, introductions and check-ins."""
