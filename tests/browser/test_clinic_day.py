"""The clinic runs Supine, end to end (issue 9): a clinician enrols a patient and prints
the card; the patient signs up from the link on a phone, answers the safety questions and
does the prescribed program; the clinician changes a dose range and books a visit; the
patient sees the visit."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.flows import answer_screening
from tests.browser.test_player import (  # noqa: F401 (fixtures)
    answer_end_questions,
    errors,
    play_to_the_end,
    server_record,
    start_session,
    wait_until_synced,
)


def test_a_clinic_day(browser, live_server, demo):
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    clinician = desk.new_page()
    clinician.set_default_timeout(10_000)
    sign_in(clinician, live_server, demo.clinician_username)
    clinician.wait_for_url(f"{live_server.url}/clinic/")

    # Enrol, and the printable card.
    clinician.get_by_role("link", name="Add patient").click()
    clinician.get_by_label("Name").fill("Robin Patient")
    clinician.get_by_label("Year of birth").fill("1968")
    clinician.get_by_label("Usual pain").fill("2")
    clinician.get_by_role("button", name="Add patient and make their card").click()
    card = clinician.locator(".invitation-card")
    card.wait_for()
    clinician.emulate_media(media="print")
    assert card.locator(".code").is_visible()
    clinician.emulate_media(media="screen")
    link = clinician.locator("#join-link").get_attribute("href")

    # Prescribe the clinic handout.
    from supine.clinic.models import Patient

    robin = Patient.objects.get(display_name="Robin Patient")
    clinician.goto(f"{live_server.url}/clinic/patients/{robin.id}/program/")
    clinician.get_by_role("link", name="The clinic handout").click()
    clinician.get_by_role("button", name="Save program").click()
    assert clinician.get_by_text("Saved as version 1.").is_visible()

    # The patient, on a phone: sign up, safety questions, morning check-in, the session.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.set_default_timeout(10_000)
    page.clock.install()
    page.goto(link)
    page.get_by_label("Choose a username").fill("robin")
    page.get_by_label("Choose a password").fill("robin walks the dog at seven")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(f"{live_server.url}/safety/screening/")
    answer_screening(page)
    page.wait_for_url(f"{live_server.url}/today/")
    page.get_by_role("button", name="Pain 2 out of 10").click()
    page.wait_for_url(f"{live_server.url}/today/")
    page.get_by_role("link", name="Start").click()
    page.wait_for_url(f"{live_server.url}/session/")
    expect(page.locator('[data-screen="intro"]')).to_be_visible()
    session_id = start_session(page, pain_before=2)
    play_to_the_end(page)
    answer_end_questions(page, pain_after=1)
    wait_until_synced(page)
    record = server_record(page, live_server, session_id)
    assert record["status"] == "completed"
    assert {e["exercise"] for e in record["exercises"]} == {
        "deep-abdominal-strengthening",
        "knee-rolls",
        "bridge",
    }

    # The clinician changes a dose range and books a visit.
    clinician.goto(f"{live_server.url}/clinic/patients/{robin.id}/program/")
    clinician.locator('input[name="reps_min-bridge"]').fill("7")
    clinician.locator('input[name="reps_max-bridge"]').fill("8")
    clinician.get_by_role("button", name="Save program").click()
    assert clinician.get_by_text("Saved as version 2.").is_visible()
    when = (timezone.localtime() + timedelta(days=3)).replace(
        hour=9, minute=15, second=0, microsecond=0
    )
    clinician.goto(f"{live_server.url}/clinic/patients/{robin.id}/")
    form = clinician.locator("#book-visit")
    form.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_role("button", name="Book visit").click()
    assert clinician.get_by_text("Visit booked.").is_visible()

    # The patient sees the visit and the new range.
    page.goto(f"{live_server.url}/today/")
    visit = page.locator("#next-visit")
    expect(visit).to_be_visible()
    assert when.strftime("%H:%M") in visit.inner_text()
    bridge = page.locator("ol.today li", has_text="Bridge")
    assert bridge.locator(".dose").inner_text().startswith("7 reps")
    phone.close()
    desk.close()
