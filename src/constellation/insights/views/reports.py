"""Insights pages: reports (see the module that grows here)."""

urlpatterns: list = []
