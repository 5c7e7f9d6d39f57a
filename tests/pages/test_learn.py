"""Self-management education: short pages, reached from Today, in the reader's region."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from supine.library.education import (
    LEARN_DIR,
    EducationError,
    education_pages,
    parse_page,
    read_pages,
)

TOPICS = [
    "what-back-pain-is", "staying-active", "hurt-is-not-harm", "sleep", "what-to-expect",
    "flare-plan",
]  # fmt: skip
CLAIM = re.compile(r"\b(cur(e|es|ed)|fix(es|ed)?|heal(s|ed|ing)?|treat(s|ed|ing)?)\b", re.I)


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_pages_cover_the_issue_in_reading_order():
    assert [page.slug for page in read_pages()] == TOPICS


@pytest.mark.parametrize("page", education_pages(), ids=lambda page: page.slug)
def test_every_page_has_sources_with_real_titles_and_no_treatment_claims(page):
    assert page.sources
    for source in page.sources:
        assert "common practice" not in source["title"].lower()
    words = [page.title, page.summary]
    for section in page.sections:
        words += [section.heading, *section.paragraphs, *section.points]
    for line in words:
        assert not CLAIM.search(line), (page.slug, line)


def test_the_self_management_pages_cite_nice_ng59():
    cited = {page.slug for page in education_pages() if any(
        "NG59" in source["title"] for source in page.sources
    )}  # fmt: skip
    assert {"what-back-pain-is", "staying-active", "flare-plan"} <= cited


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body)
    return path


GOOD = """slug = "{slug}"
title = "A page"
summary = "One line."
order = 1

[[sections]]
paragraphs = ["{paragraph}"]

[[sources]]
title = "Back pain (NHS website)"
"""


def test_an_unknown_placeholder_names_file_and_field(tmp_path):
    body = GOOD.format(slug="oops", paragraph="Call {ambulance} now.")
    with pytest.raises(EducationError) as raised:
        parse_page("oops.toml", body.encode())
    assert (raised.value.file, raised.value.field) == ("oops.toml", "sections[0].paragraphs[0]")
    assert "{ambulance}" in raised.value.message


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (GOOD.format(slug="other", paragraph="x"), "slug"),
        (GOOD.format(slug="oops", paragraph="x").replace("order = 1", 'order = "1"'), "order"),
        (GOOD.format(slug="oops", paragraph="x").replace('[[sources]]\ntitle = "Back pain '
                                                         '(NHS website)"\n', ""), "sources"),
        (GOOD.format(slug="oops", paragraph="x") + 'colour = "blue"\n', "sources[0].colour"),
        (GOOD.format(slug="oops", paragraph="x").replace('"A page"', '"Call {doctor}"'), "title"),
    ],
)  # fmt: skip
def test_a_malformed_page_names_its_field(body, field):
    with pytest.raises(EducationError) as raised:
        parse_page("oops.toml", body.encode())
    assert raised.value.field == field


def test_the_shipped_files_are_all_read():
    assert len(read_pages(LEARN_DIR)) == len(list(LEARN_DIR.glob("*.toml")))


@pytest.mark.django_db
def test_the_list_links_every_page(client):
    html = client.get("/learn/").content.decode()
    links = re.findall(r'href="/learn/([a-z-]+)/"', html)
    assert links == TOPICS


@pytest.mark.django_db
@pytest.mark.parametrize("slug", TOPICS)
def test_each_page_shows_its_words_and_sources(client, slug):
    response = client.get(f"/learn/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport"' in html
    assert "<h2>Sources</h2>" in html
    assert "{" not in text(html.split("<main", 1)[1].split("</main>", 1)[0])
    # Only the page that names the emergency number carries call links.
    assert ('href="tel:' in html) == (slug == "flare-plan")


@pytest.mark.django_db
def test_an_unknown_page_is_a_404(client):
    assert client.get("/learn/miracle-cure/").status_code == 404


@pytest.mark.django_db
def test_the_flare_plan_follows_the_rulebook(client):
    shown = text(client.get("/learn/flare-plan/").content.decode())
    for words in (
        "most flare-ups settle within days to a few weeks",
        "short, gentle walks",
        "Pace yourself",
        "hot water bottle",
        "ask a pharmacist or your doctor which is right for you",
        "When to get help",
        "Supine pauses your exercises for the rest of that day",
    ):
        assert words in shown, words


@pytest.mark.django_db
def test_a_visitor_reads_the_default_regions_numbers(client, settings):
    settings.SUPINE_REGION = "us"
    shown = text(client.get("/learn/flare-plan/").content.decode())
    assert "Call 911 or go to the ER (emergency room) now" in shown
    assert "See your doctor or an urgent care clinic today" in shown
    assert "at 8 or more" in shown


def test_a_patient_reads_their_clinics_region_and_flare_level(client, clinic, patient):
    clinic.region = "uk"
    clinic.phone = "+44 20 7946 0000"
    clinic.safety_thresholds = {"flare_pain": 7, "ceiling_top": 6}
    clinic.save(update_fields=["region", "phone", "safety_thresholds"])
    client.force_login(patient.user)
    html = client.get("/learn/flare-plan/").content.decode()
    # The numbers are tap-to-call links too, the emergency number first.
    assert re.findall(r'href="(tel:[^"]+)"', html) == ["tel:999", "tel:+442079460000"]
    shown = text(html)
    assert "Call 999 or go to A&E now" in shown
    assert "See NHS 111 or your GP today" in shown
    assert "at 7 or more" in shown
    assert "Back to Today" in shown


def test_today_links_every_page(client, patient):
    client.force_login(patient.user)
    html = client.get("/today/").content.decode()
    assert "Learn about your back" in html
    assert re.findall(r'href="/learn/([a-z-]+)/"', html) == TOPICS


def test_today_links_the_pages_before_any_program_too(client, clinic):
    from tests.factories import make_patient

    patient = make_patient(clinic, program=False)
    client.force_login(patient.user)
    html = client.get("/today/").content.decode()
    assert 'href="/learn/flare-plan/"' in html
