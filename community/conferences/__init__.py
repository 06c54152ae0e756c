"""Conferences: the agenda, the call for proposals, the schedule format, check-in at session
doors and what comes after (recordings, follow-up, feedback). A conference is an event with a
programme; registration stays the event's."""
