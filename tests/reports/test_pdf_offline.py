"""A PDF never reaches the network: only Supine's own files and data: URLs are read."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from supine.reports.pdf import STATIC, RemoteFetchRefused, _fetcher, printable_svg


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/font.woff2",
        "https://example.org/logo.png",
        "file:///etc/passwd",
        f"file://{STATIC}/../settings.py",
    ],
)
def test_anything_but_supines_own_files_is_refused(url):
    with pytest.raises(RemoteFetchRefused):
        _fetcher().fetch(url)


def test_supines_fonts_are_read_and_embedded(patient):
    from supine.reports.handout import handout_pdf

    reader = PdfReader(io.BytesIO(handout_pdf(patient)))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    # Subset names: "/ABCDEF+DejaVu-Sans-Bold".
    assert {name.split("+", 1)[1] for name in fonts} <= {
        "DejaVu-Sans",
        "DejaVu-Sans-Bold",
        "DejaVu-Sans-Oblique",
    }


def test_a_pygal_chart_gets_a_selector_for_its_whole_chart_rules():
    import base64

    svg = (
        '<svg><defs><style type="text/css">{font-family:x}.a{fill:red}\n{color:y}</style>'
        "</defs></svg>"
    )
    fixed = base64.b64decode(printable_svg(svg).split(",", 1)[1]).decode()
    assert fixed == (
        '<svg><defs><style type="text/css">svg{font-family:x}.a{fill:red}\nsvg{color:y}</style>'
        "</defs></svg>"
    )
