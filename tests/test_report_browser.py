"""The report as a reader opens it: headless Chromium, offline, every figure loaded, no errors.

Needs Debian's ``chromium`` (``/usr/bin/chromium``) and Playwright for Python; ``.ci/run``
installs the browser. Without either the test is skipped, and the skip says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pawns.cli.main import app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(f"headless Chromium not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (pip install -e '.[test]')")

runner = CliRunner()


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("browser")
    commands = {
        "run": ["run", "-n", "40", "--seed", "2", "--set", "scenario.horizon_days=120", "-q", "--out", str(base / "run"), "--report"],
        "compare": ["compare", "ru-ua-2024-dprk-labor", "ru-ua-2024-dprk-combat", "-n", "30", "--set", "scenario.horizon_days=120", "-q",
                    "--out", str(base / "compare"), "--report"],
    }
    for name, command in commands.items():
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
    return {name: base / name / "report.html" for name in commands}


def _open(page_file: Path, screenshot: Path) -> dict:
    """Open a report offline; return what a reader's browser saw."""
    outside: list[str] = []
    console_errors: list[str] = []
    page_errors: list[str] = []
    own = page_file.resolve().as_uri()
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            page = context.new_page()

            def guard(route) -> None:
                # The page itself and embedded data are fine; anything else would leave the file.
                url = route.request.url
                if url == own or url.startswith("data:"):
                    route.continue_()
                else:
                    outside.append(url)
                    route.abort()

            page.route("**/*", guard)
            page.on("request", lambda request: None if request.url in (own,) or request.url.startswith("data:") else outside.append(request.url))
            page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.goto(own, wait_until="load")
            images = page.evaluate("""() => Array.from(document.images).map(img => ({
                complete: img.complete, width: img.naturalWidth, height: img.naturalHeight, alt: img.alt}))""")
            headings = page.evaluate("() => Array.from(document.querySelectorAll('h2')).map(h => h.textContent)")
            answers = page.evaluate("() => document.querySelector('#answers').innerText")
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return {"outside": sorted(set(outside)), "console": console_errors, "errors": page_errors, "images": images,
            "headings": headings, "answers": answers}


@pytest.mark.parametrize("which", ["run", "compare"])
def test_report_opens_offline_with_every_figure_and_no_errors(results: dict[str, Path], tmp_path: Path, which: str) -> None:
    page_file = results[which]
    screenshot = tmp_path / f"report-{which}.png"
    seen = _open(page_file, screenshot)
    figures = sorted((page_file.parent / "report-figures").glob("*.png"))
    assert len(seen["images"]) == len(figures) > 0
    broken = [img["alt"] for img in seen["images"] if not (img["complete"] and img["width"] > 100 and img["height"] > 100)]
    assert not broken, f"figures that did not load: {broken}"
    assert seen["console"] == [] and seen["errors"] == [], (seen["console"], seen["errors"])
    assert seen["outside"] == [], f"requests that left the file: {seen['outside']}"
    assert seen["headings"][:2] == ["Contents", "Answers to the questions"]
    for key in ("Q1.", "Q2.", "Q3.", "Q4."):
        assert key in seen["answers"]
    assert screenshot.stat().st_size > 50_000, "the screenshot shows a rendered page"


def test_the_check_catches_a_page_that_reaches_outside(tmp_path: Path) -> None:
    """The guard itself must see a request that leaves the file, or the test above proves nothing."""
    page_file = tmp_path / "leaky.html"
    page_file.write_text('<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body><h2>Contents</h2>'
                         '<img src="https://example.org/figure.png" alt="remote"><div id="answers">Q1.</div></body></html>', encoding="utf-8")
    seen = _open(page_file, tmp_path / "leaky.png")
    assert seen["outside"] == ["https://example.org/figure.png"]
    assert seen["images"][0]["width"] == 0, "the remote figure did not load"
