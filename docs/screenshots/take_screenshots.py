"""Screenshots of the app's views, for the README: start the app, then
    .venv/bin/python docs/screenshots/take_screenshots.py http://localhost:8501
Each view is opened with the view selector, then a shared link (view and filters in the URL) is opened.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

OUT = Path(__file__).resolve().parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWS = ["Overview", "Decisions", "Letter", "Citations", "Charts", "Files"]
SHARED_LINK = "?view=decisions&outcome=overturned&category=Pharmaceuticals"


def settle(page) -> None:
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=120_000)
    time.sleep(2.5)  # charts draw after the script run ends


def main(url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1100})
        page.goto(url)
        selector = page.get_by_role("radiogroup", name="View")
        expect(selector).to_be_visible(timeout=120_000)
        for view in VIEWS:
            settle(page)
            selector.get_by_role("radio", name=view, exact=True).click()
            settle(page)
            page.screenshot(path=OUT / f"{view.lower()}.png")
        page.goto(f"{url}/{SHARED_LINK}")
        settle(page)
        page.screenshot(path=OUT / "filtered-from-url.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8501")
