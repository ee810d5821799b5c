"""The conference's registration area (see the events package docstring)."""
