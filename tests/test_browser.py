"""End to end: the real app in headless Chromium, as a user works it. Upload three letters and a broken
file -> only they are counted -> choose a facet value: its count is the grid's -> open a decision's
letter from its row -> the outcome passage is marked, contrasting and scrolled into view -> Back returns
to the Decisions view with the same filters -> the CSV export holds the grid's rows. The letters' hostile
text (script tags, an onerror image, links) renders as inert literal text. Screenshots at 1400 and 800 px
go to $IMR_SCREENSHOTS when set; at 800 px side-by-side panes stack."""
from __future__ import annotations

import csv
import io
import os
import re
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


SECOND_ITEM = """
Norco 10/325mg #60: Upheld

Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 74-96.

MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 74-96.

Decision rationale: There is no documented functional improvement from prior opioid use. The request is not
medically necessary.
"""


def letter_text(case_number: str, treatment: str, outcome: str, more: str = "") -> str:
    """A 2015-style determination letter with hostile text in its case summary; `more` adds items."""
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
{more}"""


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


def location(page: Page) -> dict[str, list[str]]:
    """The address bar's query, read from `location` (Playwright's page.url can lag a pushState)."""
    return page.evaluate("""() => { const out = {}; for (const [k, v] of new URLSearchParams(location.search))
                                        (out[k] = out[k] || []).push(v); return out; }""")


def expect_location(page: Page, wanted: dict[str, list[str]], seconds: float = 30) -> None:
    """The address bar reaches `wanted`: the app writes it on a rerun that may end after the page looks idle."""
    deadline = time.monotonic() + seconds
    while (found := location(page)) != wanted and time.monotonic() < deadline:
        time.sleep(0.2)
    assert found == wanted


def open_view(page: Page, name: str) -> None:
    wait_idle(page)
    view_button(page, name).click()
    page.wait_for_function("view => new URLSearchParams(location.search).get('view') === view",
                           arg=name.lower(), timeout=60_000)
    wait_idle(page)


def metric_value(page: Page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def grid_count(page: Page) -> int:
    caption = page.get_by_text(re.compile(r"^[\d,]+ decisions? match the filters")).first.inner_text()
    return int(caption.split()[0].replace(",", ""))


def choose(page: Page, label: str, option: str) -> int:
    """Pick a facet value in the sidebar; returns the count its label showed."""
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label).first
    box.locator("input").click()
    item = page.get_by_role("option", name=re.compile(rf"^{re.escape(option)} \(\d+\)$"))
    count = int(re.search(r"\((\d+)\)$", item.inner_text()).group(1))
    item.click()
    page.keyboard.press("Escape")
    wait_idle(page)
    return count


def click_grid_row(page: Page, row: int) -> None:
    """Select a data row of the Decisions grid (a canvas): its row-marker cell, 0-based below the header."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    row_height = 35
    page.mouse.click(box["x"] + 15, box["y"] + row_height * (row + 1) + row_height / 2)


def contrast(page: Page, selector: str, property: str = "backgroundColor") -> float:
    """WCAG contrast of an element's background (or text colour) against what it sits on: the first
    opaque background among its ancestors."""
    return page.evaluate("""([selector, property]) => {
        const parts = c => c.match(/[\\d.]+/g).map(Number);
        const lum = c => { const [r, g, b] = parts(c).slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                           return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const element = document.querySelector(selector);
        let under = element.parentElement;
        while (under && (parts(getComputedStyle(under).backgroundColor)[3] ?? 1) === 0) under = under.parentElement;
        const behind = under ? getComputedStyle(under).backgroundColor : "rgb(255, 255, 255)";
        const [hi, lo] = [lum(getComputedStyle(element)[property]), lum(behind)].sort((a, b) => b - a);
        return (hi + 0.05) / (lo + 0.05);
    }""", [selector, property])


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("IMR_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def upload(page: Page, tmp_path: Path) -> None:
    files = {
        "hostile-overturned.txt": letter_text("CM15-0000001", "Physical therapy for the low back", "Overturned", SECOND_ITEM),
        "hostile-upheld.txt": letter_text("CM15-0000002", "Myofascial therapy for neck", "Upheld"),
        f"third--><b>{IMAGE}.txt": letter_text("CM15-0000003", "Acupuncture for the low back", "Upheld"),  # a hostile name
    }
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        paths.append(tmp_path / name)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    paths.append(tmp_path / "broken.pdf")
    wait_idle(page)  # files given to the uploader while the first run still draws can be dropped
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(paths)
    expect(page.get_by_text("In view: 3 of your uploaded letters only (and 1 file that could not be read).")).to_be_visible(
        timeout=240_000)
    wait_idle(page)


def test_a_user_walks_from_upload_to_letter_and_back(page: Page, tmp_path: Path):
    upload(page, tmp_path)
    # Only the uploads are counted; the broken file is counted apart.
    assert metric_value(page, "Letters") == "3" and metric_value(page, "Decisions") == "4"
    assert metric_value(page, "Overturn rate") == "25.0%"
    expect(page.get_by_text("and 1 file that could not be read (Files view)")).to_be_visible()
    expect_location(page, {"corpus": ["uploaded"]})
    shoot(page, "walk-1400-overview")

    open_view(page, "Decisions")
    upheld = choose(page, "Outcome", "upheld")
    assert upheld == grid_count(page) == 3  # the facet's count is the grid's
    expect_location(page, {"view": ["decisions"], "corpus": ["uploaded"], "outcome": ["upheld"]})
    expect(page.get_by_role("button", name="✕ Outcome: upheld")).to_be_visible()
    shoot(page, "walk-1400-decisions")

    # The export holds the grid's rows.
    with page.expect_download() as download:
        page.get_by_role("button", name="decisions (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert len(rows) == grid_count(page)
    assert [(r["Case number"], r["Item"]) for r in rows] == [("CM15-0000001", "2"), ("CM15-0000002", "1"), ("CM15-0000003", "1")]

    # The first grid row (CM15-0000001, item 2) opens its letter at that item.
    click_grid_row(page, 0)
    page.wait_for_function("() => new URLSearchParams(location.search).get('view') === 'letter'", timeout=60_000)
    wait_idle(page)
    expect_location(page, {"view": ["letter"], "case": ["CM15-0000001"], "item": ["2"], "corpus": ["uploaded"],
                              "outcome": ["upheld"]})
    mark = page.locator("#imr-focus")
    expect(mark).to_contain_text("Norco 10/325mg #60: Upheld")
    expect(mark).to_be_in_viewport()
    assert contrast(page, "#imr-focus") >= 3.0
    expect(page.get_by_role("heading", name="Item 2", exact=True)).to_be_visible()
    shoot(page, "walk-1400-letter")

    # The letter's hostile text is literal and inert.
    letter_box = page.locator(".imr-letter")
    expect(letter_box).to_contain_text(SCRIPT)
    expect(letter_box).to_contain_text(IMAGE)
    time.sleep(1)
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.locator("img[src='x']").count() == 0 and page.locator("[onerror]").count() == 0
    assert not page.evaluate("Array.from(document.scripts).some(s => s.textContent.includes('alert(1)'))")
    expect(letter_box).to_contain_text("http://tracker.example.invalid/p.png")
    links = page.locator("a[href*='example.invalid'], img[src*='example.invalid']")
    assert links.count() == 0, [links.nth(i).evaluate("e => e.outerHTML") for i in range(links.count())]
    assert not re.search(r"\bnan\b", page.locator('[data-testid="stMain"]').inner_text())

    # Back returns to the Decisions view with the same filters; Forward to the letter.
    page.go_back()
    page.wait_for_function("() => new URLSearchParams(location.search).get('view') === 'decisions'", timeout=60_000)
    wait_idle(page)
    expect_location(page, {"view": ["decisions"], "corpus": ["uploaded"], "outcome": ["upheld"]})
    expect(view_button(page, "Decisions")).to_be_checked()
    expect(page.get_by_role("button", name="✕ Outcome: upheld")).to_be_visible()
    assert grid_count(page) == 3
    page.go_forward()
    page.wait_for_function("() => new URLSearchParams(location.search).get('item') === '2'", timeout=60_000)
    wait_idle(page)
    expect(page.locator("#imr-focus")).to_contain_text("Norco 10/325mg #60: Upheld")

    # The Files view lists the broken file with its error; the hostile file name stayed text everywhere.
    open_view(page, "Files")
    expect(page.locator('[data-testid="stText"]').filter(has_text="broken.pdf").first).to_contain_text("error")
    open_view(page, "Letter")
    page.get_by_role("combobox", name="Letter", exact=True).click()
    page.get_by_role("option", name=re.compile("CM15-0000003")).click()
    wait_idle(page)
    expect(page.locator("#imr-focus")).to_contain_text("Upheld")
    time.sleep(1)
    assert page.dialogs == [] and page.locator("img[src='x']").count() == 0  # type: ignore[attr-defined]

    # Without the outcome filter the broken file is a letter choice too, named without "nan".
    page.get_by_role("button", name="✕ Outcome: upheld").click()
    wait_idle(page)
    page.get_by_role("combobox", name="Letter", exact=True).click()
    expect(page.get_by_role("option", name="no case number · broken.pdf · error")).to_be_visible()
    assert not re.search(r"\bnan\b", page.locator("body").inner_text())


def test_at_800_px_panes_stack_and_charts_read(page: Page):
    page.set_viewport_size({"width": 800, "height": 1000})
    open_view(page, "Charts")
    charts = page.locator('.st-key-stack_charts [data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(2)
    first, second = charts.nth(0).bounding_box(), charts.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1 and abs(second["x"] - first["x"]) < 2  # stacked
    shoot(page, "charts-800")
    assert contrast(page, '[data-testid="stCaptionContainer"] p', "color") >= 4.5
    page.set_viewport_size({"width": 1400, "height": 1000})
    wait_idle(page)
    first, second = charts.nth(0).bounding_box(), charts.nth(1).bounding_box()
    assert abs(second["y"] - first["y"]) < 2 and second["x"] > first["x"] + first["width"] - 1  # side by side
    shoot(page, "charts-1400")
