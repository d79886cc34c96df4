"""Playwright driving Debian's Chromium against pytest-django's live server.

`make test` installs Chromium with apt-get when it is missing (see Makefile).
Screenshots of each journey go to test-artifacts/; a failing test also leaves
the page's HTML and a screenshot there.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the test body still
# uses the ORM synchronously, which Django allows only with this flag.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        return  # in CI a missing browser must fail loudly, not skip
    skip = pytest.mark.skip(reason="Chromium is not installed (make test installs it)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None:
            name = re.sub(r"[^\w.-]", "_", item.name)
            ARTIFACTS.mkdir(exist_ok=True)
            try:
                page.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
                (ARTIFACTS / f"FAILED-{name}.html").write_text(page.content(), encoding="utf-8")
            except Exception as exc:  # the page may be gone; keep the original failure
                print(f"could not save the failing page: {exc}")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


class Shots:
    def __init__(self, page, journey: str):
        self.page, self.journey, self.n = page, journey, 0
        ARTIFACTS.mkdir(exist_ok=True)

    def __call__(self, step: str) -> None:
        self.n += 1
        self.page.screenshot(
            path=str(ARTIFACTS / f"{self.journey}-{self.n:02d}-{step}.png"), full_page=True
        )


def sign_in(page, username: str, password: str) -> None:
    page.goto(f"{page.base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")


def sign_out(page) -> None:
    page.click("[data-testid=whoami]")  # the account menu
    page.click("text=退出")
    page.wait_for_selector("text=登录")
