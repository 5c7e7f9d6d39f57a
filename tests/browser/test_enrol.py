"""A clinician enrols a patient and prints the card; the patient signs up from the link
on a phone and lands in the safety questions."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.browser.conftest import sign_in

SHOTS = os.environ.get("SUPINE_SCREENSHOTS")


def shot(page, name: str) -> None:
    # Screenshots for a person to look at, when asked for (SUPINE_SCREENSHOTS=dir).
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_a_clinician_enrols_a_patient_who_signs_up_on_a_phone(browser, live_server, demo):
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    clinician = desk.new_page()
    clinician.set_default_timeout(10_000)
    sign_in(clinician, live_server, demo.clinician_username)
    clinician.wait_for_url(f"{live_server.url}/clinic/")
    clinician.get_by_role("link", name="Add patient").click()
    shot(clinician, "add-patient-desk")
    clinician.get_by_label("Name").fill("Robin Patient")
    clinician.get_by_label("Year of birth").fill("1968")
    clinician.get_by_label("Usual pain").fill("3")
    clinician.get_by_label("Sciatica").check()
    clinician.get_by_role("button", name="Add patient and make their card").click()

    card = clinician.locator(".invitation-card")
    card.wait_for()
    assert card.locator("svg").count() == 1
    code = card.locator(".code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    shot(clinician, "card-desk")
    # On paper: the card alone, without the site's bar or the buttons.
    clinician.emulate_media(media="print")
    assert not clinician.locator("header.bar").is_visible()
    assert not clinician.get_by_role("button", name="Print the card").is_visible()
    assert card.locator(".code").is_visible()
    shot(clinician, "card-print")
    clinician.emulate_media(media="screen")
    link = clinician.locator("#join-link").get_attribute("href")
    desk.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    patient = phone.new_page()
    patient.set_default_timeout(10_000)
    patient.goto(link)
    shot(patient, "join-phone")
    patient.get_by_label("Choose a username").fill("robin")
    patient.get_by_label("Choose a password").fill("short")
    patient.get_by_role("button", name="Start").click()
    assert patient.get_by_text("too short").is_visible()
    patient.get_by_label("Choose a password").fill("robin walks the dog at seven")
    patient.get_by_role("button", name="Start").click()
    patient.wait_for_url(f"{live_server.url}/safety/screening/")
    assert patient.locator("fieldset.yesno").first.is_visible()
    # The link is spent: opened again, it says so calmly.
    patient.goto(link)
    assert patient.get_by_role("heading", name="This invitation can't be used").is_visible()
    shot(patient, "gone-phone")
    phone.close()
