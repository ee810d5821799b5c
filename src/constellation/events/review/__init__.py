"""The conference's review area (see the events package docstring)."""
