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
