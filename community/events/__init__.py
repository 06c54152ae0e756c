"""Meetups, workshops and conferences."""
