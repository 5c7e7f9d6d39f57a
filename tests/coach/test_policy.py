"""The player may run WebAssembly and use the camera; it still reaches nothing but Supine."""

from __future__ import annotations

from tests.factories import make_patient


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_the_player_page_allows_webassembly_and_the_camera_and_only_supine(client, db):
    patient = make_patient()
    client.force_login(patient.user)
    response = client.get("/session/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == "script-src 'self' 'wasm-unsafe-eval'"
    assert policy["connect-src"] == "connect-src 'self'"
    assert policy["default-src"] == "default-src 'self'"
    assert policy["worker-src"] == "worker-src 'self'"
    assert "camera=(self)" in response["Permissions-Policy"]


def test_other_pages_keep_the_strict_policy_and_no_camera(client, db):
    patient = make_patient()
    client.force_login(patient.user)
    for url in ("/today/", "/help/", "/coach/assets/NOTICE.txt"):
        response = client.get(url)
        assert "wasm-unsafe-eval" not in response["Content-Security-Policy"], url
        assert "camera=()" in response["Permissions-Policy"], url
