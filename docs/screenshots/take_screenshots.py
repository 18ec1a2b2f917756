"""Screenshots of the app's views, for the README: start the app, then
    .venv/bin/python docs/screenshots/take_screenshots.py http://localhost:8501 [WIDTH] [OUT_DIR]
Each view is opened as a user would (the view selector; the Letter view from a row of the Decisions grid),
on the synthetic demo corpus, at WIDTH px (default 1400); then a shared link (view and filters in the URL).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

OUT = Path(__file__).resolve().parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWS = ["Overview", "Decisions", "Citations", "Charts", "Reasons", "Files"]
SHARED_LINK = "?view=decisions&outcome=overturned&category=Pharmaceuticals"


def settle(page) -> None:
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=120_000)
    time.sleep(2.5)  # charts draw after the script run ends


def main(url: str, width: int, out: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": 1100})
        page.goto(url)
        selector = page.get_by_role("radiogroup", name="View")
        expect(selector).to_be_visible(timeout=120_000)
        for view in VIEWS:
            settle(page)
            selector.get_by_role("radio", name=view, exact=True).click()
            settle(page)
            page.screenshot(path=out / f"{view.lower()}.png")
            if view == "Decisions":  # the second row's letter, opened from the grid
                grid = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
                page.mouse.click(grid["x"] + 15, grid["y"] + 35 * 2 + 17)
                page.wait_for_function("() => new URLSearchParams(location.search).get('view') === 'letter'")
                settle(page)
                page.screenshot(path=out / "letter.png")
        page.goto(f"{url}/{SHARED_LINK}")
        settle(page)
        page.screenshot(path=out / "filtered-from-url.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8501", int(sys.argv[2]) if len(sys.argv) > 2 else 1400,
         Path(sys.argv[3]) if len(sys.argv) > 3 else OUT)
