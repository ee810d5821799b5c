"""The conference's programme area (see the events package docstring)."""
