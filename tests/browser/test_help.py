"""When to get help opens offline once it has been seen, with its tap-to-call links."""

from __future__ import annotations

from playwright.sync_api import expect


def wait_for_controller(page) -> None:
    page.evaluate(
        """async () => {
          await navigator.serviceWorker.ready;
          if (!navigator.serviceWorker.controller) {
            await new Promise((resolve) => navigator.serviceWorker.addEventListener(
              "controllerchange", resolve, { once: true }));
          }
        }"""
    )


def test_the_help_page_opens_offline_after_one_visit(page, live_server, db, settings):
    settings.SUPINE_REGION = "us"
    page.goto(f"{live_server.url}/help/")
    expect(page.get_by_role("heading", name="When to get help", level=1)).to_be_visible()
    wait_for_controller(page)

    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.get_by_role("heading", name="Get help now")).to_be_visible()
    expect(page.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(page.get_by_role("heading", name="On a flare day")).to_be_visible()
    # Its stylesheet came from the cache too.
    color = page.locator(".emergency-call").evaluate("e => getComputedStyle(e).backgroundColor")
    assert color == "rgb(179, 38, 30)"
