"""The conference's cfp area (see the events package docstring)."""
