"""Insights pages: surveys (see the module that grows here)."""

urlpatterns: list = []
