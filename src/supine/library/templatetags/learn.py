from __future__ import annotations

from django import template

from supine.library.education import education_pages

register = template.Library()


@register.inclusion_tag("library/learn_links.html")
def learn_links() -> dict:
    """The education pages as a short list of links (on Today)."""
    return {"pages": education_pages()}
