from __future__ import annotations

from tests.browser.conftest import sign_in
from tests.browser.flows import answer_screening, morning_checkin


def test_the_demo_patient_signs_in_and_sees_three_pictures(page, live_server, demo):
    sign_in(page, live_server, demo.patient_username)
    # The first sign-in asks the safety questions before anything else.
    page.wait_for_url(f"{live_server.url}/safety/screening/")
    answer_screening(page)
    page.wait_for_url(f"{live_server.url}/today/")
    assert page.get_by_role("heading", name="Today", exact=True).is_visible()
    images = page.locator("ol.today img")
    assert images.count() == 3
    for index in range(3):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        # A broken or missing SVG would load with no natural size.
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
    names = page.locator("ol.today h2").all_inner_texts()
    assert names == ["Deep Abdominal Strengthening", "Knee Rolls", "Bridge"]
    morning_checkin(page, 2)
    page.wait_for_url(f"{live_server.url}/today/")
    assert page.get_by_role("link", name="Start").is_visible()


def test_the_exercise_page_animates_the_figure(page, live_server, demo):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.install()
    page.goto(f"{live_server.url}/exercises/bridge/")
    svg = page.locator(".figure-art svg")
    before = svg.inner_html()
    page.clock.run_for(1500)
    after = svg.inner_html()
    assert not errors
    assert before != after, "the figure did not move"
