"""The guide "Getting down to the floor and up again" (clinical-rules.md §6): a
self-management page with its own figure, linked from every page that starts floor work."""

from __future__ import annotations

import json
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from supine.library.education import LEARN_DIR, EducationError, parse_page
from supine.library.models import Exercise

SLUG = "getting-down-to-the-floor"
URL = f"/learn/{SLUG}/"
LINK = f'<a href="{URL}">Getting down to the floor and up again</a>'
SOURCE = LEARN_DIR / f"{SLUG}.toml"


def test_the_page_has_numbered_steps_down_and_up_safety_points_and_real_sources():
    page = parse_page(SOURCE.name, SOURCE.read_bytes())
    sections = {section.heading: section for section in page.sections}
    down = " ".join(sections["Getting down"].steps).lower()
    for words in ("chair", "knee", "all fours", "hip", "side", "roll onto your back"):
        assert words in down, words
    up = " ".join(sections["Getting up again"].steps).lower()
    for words in ("roll onto your side", "all fours", "one foot forward", "chair", "push up"):
        assert words in up, words
    safety = " ".join(sections["Stay safe"].points).lower()
    assert "take your time" in safety
    assert "twist" in safety
    assert "dizzy" in safety
    titles = [source["title"] for source in page.sources]
    assert "Falls (NHS website)" in titles
    assert any("Chartered Society of Physiotherapy" in title for title in titles)
    assert "Supine default" in titles
    assert page.figure is not None


@pytest.mark.django_db
def test_the_page_shows_its_steps_as_numbered_lists_and_its_animated_figure(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Getting down to the floor and up again</h1>" in html
    assert html.count('<ol class="steps">') == 2
    # The still picture, inline, with the animation data the exercise pages use.
    svg = re.search(r'<svg xmlns="http://www.w3.org/2000/svg".*?</svg>', html, re.S)
    assert svg is not None
    root = ET.fromstring(svg.group(0))  # noqa: S314 - our own output
    assert '<div class="figure-art" data-animation="figure-data"><svg' in html
    assert root.find("{http://www.w3.org/2000/svg}title").text.startswith(
        "Getting down to the floor and up again"
    )
    assert root.find(".//{http://www.w3.org/2000/svg}g[@data-arrow]") is not None
    data = re.search(r'<script id="figure-data" type="application/json">(.*?)</script>', html)
    assert data is not None
    names = [k["name"] for k in json.loads(data.group(1))["keyframes"]]
    assert names[0] == "standing, hands on the chair"
    assert "on the back" in names
    assert "supine/exercise-figure.js" in html
    # The region's words are filled in, as on the other pages.
    assert "{doctor}" not in html


@pytest.mark.django_db
def test_a_page_without_a_figure_loads_no_figure_script(client):
    html = client.get("/learn/sleep/").content.decode()
    assert "exercise-figure.js" not in html
    assert 'id="figure-data"' not in html


@pytest.mark.django_db
def test_the_figure_is_served_as_svg_and_cached(client):
    response = client.get(f"{URL}figure.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "max-age=3600" in response["Cache-Control"]
    ET.fromstring(response.content)  # noqa: S314 - our own output
    again = client.get(f"{URL}figure.svg", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/learn/sleep/figure.svg").status_code == 404
    assert client.get("/learn/no-such-page/figure.svg").status_code == 404


BAD_FIGURE = """slug = "oops"
title = "A page"
summary = "One line."
order = 1

[[sections]]
paragraphs = ["Words."]

[[sources]]
title = "Supine default"

[figure]
camera = { azimuth = 0, elevation = 10 }
thumbnail = "up"
highlight = ["pelvis"]

[[figure.keyframes]]
name = "down"
ms = 1000
root = [0, 93.7, 0]
trunk = 90

[[figure.keyframes]]
name = "up"
ms = 1000
"""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("", "left_knee = 170\n"), "figure.keyframes[1].left_knee"),
        (("", "left_elbo = 10\n"), "figure.keyframes[1].left_elbo"),
        (("camera = { azimuth = 0, elevation = 10 }\n", ""), "figure.camera"),
        (('thumbnail = "up"', 'thumbnail = "sideways"'), "figure.thumbnail"),
        (("root = [0, 93.7, 0]", "root = [0, 60, 0]"), "figure.keyframes[0]"),
    ],
)
def test_a_bad_figure_in_a_learn_file_names_the_file_and_field(change, field):
    old, new = change
    body = BAD_FIGURE.replace(old, new) if old else BAD_FIGURE + new
    with pytest.raises(EducationError) as raised:
        parse_page("oops.toml", body.encode())
    assert (raised.value.file, raised.value.field) == ("oops.toml", field)
    assert str(raised.value).startswith(f"oops.toml: {field}: ")


def test_the_good_version_of_that_file_reads():
    assert parse_page("oops.toml", BAD_FIGURE.encode()).figure is not None


# ---- the links, on every page that starts floor work ------------------------------------


def test_the_player_links_it_under_start_and_on_the_first_change_of_position(client, patient):
    client.force_login(patient.user)
    html = client.get("/session/").content.decode()
    intro = html.split('data-screen="intro"', 1)[1].split("</section>", 1)[0]
    assert intro.index('data-action="start"') < intro.index(LINK)
    play = html.split('data-screen="play"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<p class="floor-guide" data-slot="floor-guide" hidden>' + LINK, play)
    script = (
        Path(__file__).resolve().parents[2] / "src/supine/static/supine/player/playback.js"
    ).read_text()
    assert 'slot("floor-guide").hidden' in script


def test_today_links_it_near_start(client, patient):
    client.force_login(patient.user)
    html = client.get("/today/").content.decode()
    # Before the morning question is answered, Start waits behind it; the link is there.
    start = html.index("Answer the morning question above, then start.")
    assert 0 < html.index(LINK) - start < 300


@pytest.mark.django_db
def test_every_floor_exercise_page_links_it_and_a_standing_one_does_not(client):
    floor = Exercise.objects.exclude(position__in=("standing", "sitting"))
    assert floor.count() >= 12
    for exercise in floor:
        html = client.get(f"/exercises/{exercise.slug}/").content.decode()
        assert LINK in html, exercise.slug
    Exercise.objects.filter(slug="bridge").update(position="standing")
    assert LINK not in client.get("/exercises/bridge/").content.decode()


def test_the_shipped_file_is_a_learn_file_with_a_figure_table():
    table = tomllib.loads(SOURCE.read_text(encoding="utf-8"))
    assert table["slug"] == SLUG
    assert {"camera", "keyframes", "thumbnail", "highlight"} <= set(table["figure"])
