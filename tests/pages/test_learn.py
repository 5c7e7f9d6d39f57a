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
    "getting-down-to-the-floor",
]  # fmt: skip
# The flare plan is on /help/ (with the region's numbers as tap-to-call links): linked, not
# repeated.
FLARE_PLAN = "/help/#flare"
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
    assert {"what-back-pain-is", "staying-active", "what-to-expect"} <= cited


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
    body = GOOD.format(slug="oops", paragraph="Call {emergency_number} now.")
    with pytest.raises(EducationError) as raised:
        parse_page("oops.toml", body.encode())
    assert (raised.value.file, raised.value.field) == ("oops.toml", "sections[0].paragraphs[0]")
    assert "{emergency_number}" in raised.value.message


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
    assert f'href="{FLARE_PLAN}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("slug", TOPICS)
def test_each_page_shows_its_words_and_sources(client, slug):
    response = client.get(f"/learn/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport"' in html
    assert "<h2>Sources</h2>" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    # What the reader sees: a figure's animation data is a JSON block, not words.
    shown = re.sub(r"<script[^>]*>.*?</script>", "", main, flags=re.S)
    assert "{" not in text(shown)


@pytest.mark.django_db
def test_an_unknown_page_is_a_404(client):
    assert client.get("/learn/miracle-cure/").status_code == 404


@pytest.mark.django_db
def test_the_last_page_leads_on_to_the_flare_plan(client):
    html = client.get(f"/learn/{TOPICS[-1]}/").content.decode()
    assert f'<a class="button" href="{FLARE_PLAN}">Next: Your flare-up plan</a>' in html


@pytest.mark.django_db
def test_a_visitor_reads_the_default_regions_words(client, settings):
    settings.SUPINE_REGION = "us"
    shown = text(client.get("/learn/what-back-pain-is/").content.decode())
    assert "contact your clinic or your doctor" in shown
    shown = text(client.get("/learn/hurt-is-not-harm/").content.decode())
    assert "rate your pain at 8 or more" in shown


def test_a_patient_reads_their_clinics_region_and_flare_level(client, clinic, patient):
    clinic.region = "uk"
    clinic.safety_thresholds = {"flare_pain": 7, "ceiling_top": 6}
    clinic.save(update_fields=["region", "safety_thresholds"])
    client.force_login(patient.user)
    shown = text(client.get("/learn/what-back-pain-is/").content.decode())
    assert "contact your clinic or your GP" in shown
    assert "Back to Today" in shown
    shown = text(client.get("/learn/hurt-is-not-harm/").content.decode())
    assert "rate your pain at 7 or more" in shown


def test_the_urgent_route_is_filled_in_too():
    page = parse_page("p.toml", GOOD.format(slug="p", paragraph="See {urgent_route}.").encode())
    filled = page.in_words({"urgent_route": "NHS 111 or your GP today", "doctor": "your GP"})
    assert filled.sections[0].paragraphs == ("See NHS 111 or your GP today.",)


def test_today_links_every_page(client, patient):
    client.force_login(patient.user)
    html = client.get("/today/").content.decode()
    assert "Learn about your back" in html
    learn_section = html.split('id="learn-heading"', 1)[1]
    assert re.findall(r'href="/learn/([a-z-]+)/"', learn_section) == TOPICS
    assert f'href="{FLARE_PLAN}">Your flare-up plan</a>' in html


def test_today_links_the_pages_before_any_program_too(client, clinic):
    from tests.factories import make_patient

    patient = make_patient(clinic, program=False)
    client.force_login(patient.user)
    html = client.get("/today/").content.decode()
    assert f'href="{FLARE_PLAN}"' in html
