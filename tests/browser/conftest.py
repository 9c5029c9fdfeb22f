"""Real-browser tests: Debian's Chromium driven by Playwright against the app served by uvicorn on loopback.

Screenshots land in tests/artifacts/screenshots/ (kept by the CI run). Chromium resolves every
``*.localhost`` name to loopback, so host-name tenants (http://haikou.localhost:PORT/) work without DNS.
"""
from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


@pytest.fixture
def live_server(db, settings):
    """The platform on http://localhost:PORT (a uvicorn server in a thread, the test database behind it)."""
    from tests_support import serving

    from tongban.platform.app import create_app

    app = create_app(settings, database=db, request_logs=False)
    with serving(app) as port:
        yield f"http://localhost:{port}"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run scripts/system-deps.sh (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                  "--no-first-run", "--disable-component-update", "--disable-sync"])
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    yield context.new_page()
    context.close()
