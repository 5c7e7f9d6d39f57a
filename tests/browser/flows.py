"""What a person does in the browser, step by step, shared by the browser tests."""

from __future__ import annotations


def answer_screening(page, *, yes: tuple[str, ...] = (), advised: bool = True) -> None:
    """Answer the safety questions: "No" to all but the question ids in `yes`."""
    for fieldset in page.locator("fieldset.yesno").all():
        name = fieldset.locator("input[type=radio]").first.get_attribute("name")
        if name == "clinician_advised":
            fieldset.get_by_label("Yes" if advised else "Not yet").check()
        else:
            fieldset.get_by_label("Yes" if name in yes else "No").check()
    page.get_by_role("button", name="Send answers").click()


def morning_checkin(page, score: int = 2) -> None:
    page.get_by_role("button", name=f"Pain {score} out of 10").click()
