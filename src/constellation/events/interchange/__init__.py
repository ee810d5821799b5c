"""Conference schedules in other tools' formats (pretalx / frab JSON, frab XML)."""
