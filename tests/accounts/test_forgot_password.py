"""“Forgot password?”: a link by email, the same answer whether or not the account exists,
and a limit per address."""

from __future__ import annotations

import re

from django.test import Client

from supine.clinic.models import Patient

NEW = "a sentence nobody would guess"


def ask(email: str):
    return Client().post("/accounts/password/reset/", {"email": email})


def test_the_link_arrives_by_email_and_sets_a_new_password(smtp, patient: Patient):
    patient.user.email = "sam@example.org"
    patient.user.save(update_fields=["email"])
    answer = ask("SAM@example.org")
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/password/reset/sent/"
    assert smtp.inbox.arrived.wait(10)
    recipients, message = smtp.inbox.messages[0]
    assert recipients == ["sam@example.org"]
    body = message.get_payload(decode=True).decode()
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", body).group(1)
    browser = Client()
    form_page = browser.get(path, follow=True)
    browser.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    patient.user.refresh_from_db()
    assert patient.user.check_password(NEW)


def test_an_unknown_address_gets_the_same_answer_and_no_email(smtp, db):
    answer = ask("nobody@example.org")
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/password/reset/sent/"
    assert smtp.inbox.messages == []


def test_asking_is_limited_per_address(settings, db):
    settings.SUPINE_ENROL_ATTEMPTS_PER_HOUR = 2
    answers = [ask("nobody@example.org").status_code for _ in range(3)]
    assert answers == [302, 302, 429]


def test_the_sign_in_page_offers_it(db):
    assert 'href="/accounts/password/reset/"' in Client().get("/accounts/login/").content.decode()
