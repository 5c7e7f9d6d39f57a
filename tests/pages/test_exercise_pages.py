from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from supine.library.models import Exercise


@pytest.mark.django_db
def test_the_library_page_links_every_exercise():
    html = Client().get("/exercises/").content.decode()
    for exercise in Exercise.objects.all():
        assert f'href="/exercises/{exercise.slug}/"' in html


@pytest.mark.django_db
def test_an_exercise_page_shows_the_picture_steps_and_the_animation_data():
    html = Client().get("/exercises/bridge/").content.decode()
    assert "<svg" in html
    assert "shoulders, hips and knees are in a line" in html
    data = re.search(r'<script id="figure-data" type="application/json">(.*?)</script>', html, re.S)
    assert data is not None
    animation = json.loads(data.group(1))
    assert len(animation["keyframes"]) >= 2
    assert '<script type="module" src="/static/supine/exercise-figure.js">' in html


@pytest.mark.django_db
def test_an_unknown_exercise_page_is_a_404():
    assert Client().get("/exercises/handstand/").status_code == 404


@pytest.mark.django_db
def test_the_figure_is_cached_and_revalidated_by_etag():
    first = Client().get("/exercises/bridge/figure.svg")
    assert "max-age=3600" in first["Cache-Control"]
    again = Client().get("/exercises/bridge/figure.svg", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


@pytest.mark.django_db
def test_the_thumbnail_shows_the_keyframe_that_tells_the_exercise_apart():
    still = Client().get("/exercises/bridge/figure.svg")
    thumbnail = Client().get("/exercises/bridge/thumbnail.svg")
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"].startswith("image/svg+xml")
    assert thumbnail.content != still.content
    assert b"data-arrow" in thumbnail.content


@pytest.mark.django_db
def test_the_library_lists_thumbnails():
    html = Client().get("/exercises/").content.decode()
    assert '<img src="/exercises/bridge/thumbnail.svg"' in html


@pytest.mark.django_db
def test_an_exercise_whose_stored_figure_no_longer_parses_still_has_a_page():
    Exercise.objects.filter(slug="bridge").update(figure={"view": "side", "keyframes": []})
    response = Client().get("/exercises/bridge/")
    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    assert Client().get("/exercises/bridge/thumbnail.svg").status_code == 200
