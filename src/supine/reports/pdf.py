"""HTML to PDF with WeasyPrint, offline: the fonts are Supine's own, and nothing is fetched.

The page size follows the clinic's region (US Letter in the United States, A4 elsewhere)
unless the reader asks for the other. WeasyPrint may only read the files under Supine's
own static folder and `data:` URLs (the pictures are inline SVG): any other address is
refused, so a document never reaches the network.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

STATIC = Path(__file__).resolve().parent.parent / "static"
FONTS = STATIC / "vendor" / "dejavu-fonts-2.37"

PAPERS = {"a4": "A4", "letter": "letter"}


class RemoteFetchRefused(ValueError):
    pass


def paper_for(region: str, asked: str | None = None) -> str:
    """ "a4" or "letter": what was asked for if it is one of them, else the region's."""
    if asked in PAPERS:
        return asked
    return "letter" if region == "us" else "a4"


def _fetcher():
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """`data:` URLs and Supine's own static files; any other address is refused."""

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(STATIC):
                    raise RemoteFetchRefused(f"Not a file of Supine's: {url[:80]}")
            elif not url.startswith("data:"):
                raise RemoteFetchRefused(f"Not fetched: {url[:80]}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols={"data", "file"})


# pygal, asked for no id prefix, writes rules with an empty selector ("{font-family: …}");
# WeasyPrint stops reading an SVG's stylesheet at the first selector it cannot parse, and
# the chart comes out black. Those rules are meant for the whole chart: say so.
_EMPTY_SELECTOR = re.compile(r"(^|>|})(\s*)\{", re.MULTILINE)


def printable_svg(svg: str) -> str:
    """A pygal chart as WeasyPrint can draw it, as a data: URL for an <img>."""
    fixed = _EMPTY_SELECTOR.sub(r"\1\2svg{", svg)
    return "data:image/svg+xml;base64," + base64.b64encode(fixed.encode()).decode()


def font_css() -> str:
    faces = []
    for weight, style, name in (
        (400, "normal", "DejaVuSans.ttf"),
        (700, "normal", "DejaVuSans-Bold.ttf"),
        (400, "italic", "DejaVuSans-Oblique.ttf"),
    ):
        url = (FONTS / name).as_uri()
        faces.append(
            "@font-face { font-family: 'Supine Sans'; "
            f"font-weight: {weight}; font-style: {style}; src: url('{url}'); }}"
        )
    return "\n".join(faces)


def render_pdf(template: str, context: dict[str, Any], *, paper: str) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "paper": PAPERS[paper]})
    page = CSS(string=f"@page {{ size: {PAPERS[paper]}; }}\n{font_css()}")
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=_fetcher())
    return document.write_pdf(stylesheets=[page])
