"""Constellation: the open platform that runs a science-engagement network."""

__version__ = "0.1.0"
