"""End to end: the real app in headless Chromium. Upload two letters and a broken file; the letters'
hostile text (script tags, an onerror image) must render as inert literal text."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
LINKS = "see http://tracker.example.invalid/p.png and www.tracker.example.invalid and ![t](http://tracker.example.invalid/i.png)"


def letter_text(case_number: str, treatment: str, outcome: str) -> str:
    """A 2015-style determination letter with hostile text in its case summary."""
    necessary = "is medically necessary" if outcome == "Overturned" else "is not medically necessary"
    return f"""Case Number: {case_number}   Date Assigned: 03/02/2015
Date of Injury: 02/16/2000   Decision Date: 04/01/2015
UR Denial Date: 02/20/2015   Priority: Standard
Application Received: 02/25/2015

HOW THE IMR FINAL DETERMINATION WAS MADE

The Expert Reviewer has the following credentials:
State(s) of Licensure: California
Certification(s)/Specialty: Physical Medicine & Rehabilitation

CLINICAL CASE SUMMARY

The injured worker is a 59 year old female who sustained a work related injury on February 16, 2000,
to her lower back. Provider note quoted: {SCRIPT} and {IMAGE} end of quote, {LINKS}.

IMR ISSUES, DECISIONS AND RATIONALES

The Final Determination was based on decisions for the disputed items/services set forth below:

{treatment}, Qty: 6: {outcome}

Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment Guidelines
Physical medicine Page(s): 98-99.

MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Massage therapy Page(s): 60.

Decision rationale: Guidelines recommend 4-6 visits. The request {necessary}.
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", os.environ.get("IMR_APP", str(ROOT / "app.py")),
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"streamlit did not start: {server.stderr.read(4000) if server.poll() is not None else ''}")
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def page(app_url: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.dialogs = []  # type: ignore[attr-defined]
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
        page.goto(app_url)
        expect(view_button(page, "Overview")).to_be_visible(timeout=240_000)
        yield page
        browser.close()


def wait_idle(page: Page) -> None:
    """Until the script run ends (the "Running..." status widget is gone) and stale elements are replaced."""
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=120_000)
    time.sleep(0.5)


def view_button(page: Page, name: str) -> Locator:
    return page.get_by_role("radiogroup", name="View").get_by_role("radio", name=name, exact=True)


def open_view(page: Page, name: str) -> None:
    """Click the view selector and wait until the URL names the view (read from `location`: the app
    rewrites the URL with history.replaceState, which Playwright's page.url can report late)."""
    wait_idle(page)
    view_button(page, name).click()
    page.wait_for_function("view => new URLSearchParams(location.search).get('view') === view",
                           arg=name.lower(), timeout=60_000)
    wait_idle(page)


def metric_value(page: Page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def test_upload_two_letters_and_a_broken_file(page: Page, tmp_path: Path):
    files = {
        "hostile-overturned.txt": letter_text("CM15-0000001", "Physical therapy for the low back", "Overturned"),
        "hostile-upheld.txt": letter_text("CM15-0000002", "Myofascial therapy for neck", "Upheld"),
    }
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        paths.append(tmp_path / name)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    paths.append(tmp_path / "broken.pdf")

    page.get_by_text("Replace the demo letters").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(paths)
    expect(page.get_by_text("Showing your uploaded letters (3 files)")).to_be_visible(timeout=240_000)
    wait_idle(page)
    assert metric_value(page, "Letters") == "3"
    assert metric_value(page, "Decisions") == "2"
    assert metric_value(page, "Overturn rate") == "50.0%"

    open_view(page, "Files")
    problems = page.locator('[data-testid="stText"]').filter(has_text="broken.pdf")
    expect(problems.first).to_contain_text("error")

    open_view(page, "Letter")
    letter_text_box = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="Provider note quoted")
    expect(letter_text_box.first).to_contain_text(SCRIPT)  # shown literally...
    expect(letter_text_box.first).to_contain_text(IMAGE)
    time.sleep(1)
    assert page.dialogs == []  # type: ignore[attr-defined]  # ...and never run
    assert page.locator("img[src='x']").count() == 0
    assert not page.evaluate("Array.from(document.scripts).some(s => s.textContent.includes('alert(1)'))")
    assert page.locator("[onerror]").count() == 0
    # URLs and Markdown images in a letter stay text: no link to follow, nothing fetched.
    expect(letter_text_box.first).to_contain_text("http://tracker.example.invalid/p.png")
    links = page.locator("a[href*='example.invalid'], img[src*='example.invalid']")
    assert links.count() == 0, [links.nth(i).evaluate("e => e.outerHTML") for i in range(links.count())]
