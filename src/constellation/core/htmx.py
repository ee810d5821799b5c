"""One place that knows how a view answers htmx requests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(request: HttpRequest, template: str, context: dict, partial: str | None = None) -> HttpResponse:
    """Render the whole page, or only `template#partial` when htmx asks for that region."""
    if partial and getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, f"{template}#{partial}", context)
    return render(request, template, context)


def htmx_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """Leave the page: HX-Redirect for htmx (a 302 would be swapped in), else a 302."""
    from django.shortcuts import redirect

    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
