"""iCalendar export and import: plain CalendarEvent values in and out, nothing of the models."""
