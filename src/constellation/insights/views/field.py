"""Insights pages: field (see the module that grows here)."""

urlpatterns: list = []
