"""Bolt listeners, a module per feature; each module has a register(app, …) function."""
