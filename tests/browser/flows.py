"""What a person does in the browser, step by step, shared by the browser tests."""

from __future__ import annotations


def answer_screening(page, *, yes: tuple[str, ...] = (), advised: bool = True) -> None:
    """Answer the safety questions: nothing flagged but the question ids in `yes`."""
    from tests.factories import safe_answers

    answers = safe_answers(flagged=yes)
    # One group per screen: answer what shows, then Next, until the answers can be sent.
    while True:
        for fieldset in page.locator("[data-step]:visible fieldset.yesno").all():
            name = fieldset.locator("input[type=radio]").first.get_attribute("name")
            if name == "clinician_advised":
                fieldset.get_by_label("Yes" if advised else "Not yet").check()
            else:
                fieldset.locator(f'input[value="{"yes" if answers[name] else "no"}"]').check()
        send = page.get_by_role("button", name="Send answers")
        if send.is_visible():
            send.click()
            return
        page.get_by_role("button", name="Next").click()


def morning_checkin(page, score: int = 2) -> None:
    page.get_by_role("button", name=f"Pain {score} out of 10").click()
