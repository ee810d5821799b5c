"""The conference's timetable area (see the events package docstring)."""
