"""Insights pages: benchmarks (see the module that grows here)."""

urlpatterns: list = []
