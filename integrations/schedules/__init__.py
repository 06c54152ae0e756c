"""The frab/pretalx schedule format (schedule.json and schedule.xml), read and written as
plain data: `read_schedule` and `schedule_json` / `schedule_xml`."""
