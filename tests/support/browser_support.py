"""Helpers for real-browser tests."""
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


def screenshot(page, name: str) -> Path:
    """A full-page screenshot. Chromium under a loaded CI machine sometimes fails to capture a long page
    ("Unable to capture screenshot"): one more try after the page settles, then the viewport alone — the
    picture is evidence for people, the assertions are the test."""
    from playwright.sync_api import Error

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    for full_page in (True, True, False):
        try:
            page.screenshot(path=str(path), full_page=full_page)
            return path
        except Error:
            page.wait_for_timeout(500)
    return path


def staff_signs_in(page, url: str, username: str, secret: str | None = None, *, lands_on: str | None = None) -> None:
    """Open ``url`` and sign in at the provider as a staff member: password, then the authenticator's code (a
    demo account's secret unless ``secret`` is given); waits until the browser is back on ``lands_on`` (``url``)."""
    import pyotp

    from tongban.platform.identity.seed import DEMO_PASSWORD, DEMO_STAFF

    secret = secret or {name: s for name, *_rest, s in DEMO_STAFF}[username]
    page.goto(url)
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录 Sign in").click()
    page.fill("#code", pyotp.TOTP(secret).now())
    page.get_by_role("button", name="确认 Continue").click()
    page.wait_for_url(lands_on or url)
