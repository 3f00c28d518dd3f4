"""``pawns dashboard`` as an analyst meets it: headless Chromium, offline, against a real server.

Needs Debian's ``chromium`` (``/usr/bin/chromium``) and Playwright for Python; ``.ci/run``
installs the browser. Without either the tests are skipped, and the skip says why. The server
runs the numpy engine on a small ensemble, so the tests never wait for the kernel to compile.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
from typer.testing import CliRunner

from pawns.cli.main import app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
WAIT_MS = 180_000  # a run on a busy 2-core machine
SIZE = "DPRK: contingent size"
SHARE = "DPRK: share in combat (role mix)"

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(f"headless Chromium not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A dashboard on a free port of 127.0.0.1, working in a folder of its own."""
    work = tmp_path_factory.mktemp("dashboard")
    out = work / "exports"
    command = [sys.executable, "-m", "pawns", "dashboard", "--port", "0", "--engine", "numpy", "-n", "30", "--seed", "1",
               "--set", "scenario.horizon_days=60", "--out", str(out)]
    process = subprocess.Popen(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        url = _url(process)
        yield {"url": url, "out": out, "work": work}
    finally:
        process.terminate()
        process.wait(30)
        process.stdout.close()
        process.stderr.close()


def _url(process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("pawns dashboard: http://"):
            return line.split()[2]
        if not line and process.poll() is not None:
            raise AssertionError(f"the dashboard did not start: {process.stderr.read()}")
    raise AssertionError("the dashboard printed no URL within two minutes")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(server: dict, browser) -> Iterator[dict]:
    """A fresh session, every request it makes recorded; ends with no console errors asserted."""
    origin = server["url"].rstrip("/")
    seen: dict = {"outside": [], "errors": []}
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        tab = context.new_page()
        own = (origin, origin.replace("http://", "ws://"), f"blob:{origin}")
        tab.on("request", lambda request: None if request.url.startswith(own) else seen["outside"].append(request.url))
        tab.on("console", lambda message: seen["errors"].append(message.text) if message.type == "error" else None)
        tab.on("pageerror", lambda error: seen["errors"].append(str(error)))
        tab.goto(server["url"])
        _wait_for_run(tab, 1)
        seen["tab"] = tab
        yield seen
        assert seen["errors"] == [], seen["errors"]
    finally:
        context.close()


def _wait_for_run(tab, number: int) -> None:
    tab.locator(f"#run-status[data-run='{number}'][data-done='yes']").wait_for(timeout=WAIT_MS)


def _open_tab(tab, title: str) -> None:
    tab.locator(".bk-tab", has_text=title).click()


def _enter(tab, label: str, text: str) -> None:
    box = tab.get_by_label(label)
    box.fill(text)
    box.press("Enter")


def test_the_page_loads_offline_with_the_answers_and_fan_charts(page: dict, tmp_path: Path) -> None:
    tab = page["tab"]
    for key in ("Q1", "Q2", "Q3", "Q4"):
        text = tab.locator(f"#answer-{key}").inner_text()
        assert text.startswith(f"{key}. ") and "90%" in text, text
    assert "updated in" in tab.locator("#run-status").inner_text()
    _open_tab(tab, "Fan charts")
    tab.locator("canvas").first.wait_for(timeout=WAIT_MS)
    assert tab.locator(".bk-Canvas, canvas").count() >= 4, "forces, casualties, claims, territory and support charts"
    _open_tab(tab, "Channels")
    assert "DPRK.shells" in tab.locator("#channels").inner_text(), "the channel decomposition"
    tab.screenshot(path=str(tmp_path / "charts.png"), full_page=True)
    assert page["outside"] == [], f"requests that left the server: {page['outside']}"


def test_moving_a_control_changes_an_answer(page: dict) -> None:
    tab = page["tab"]
    before = tab.locator("#answer-Q4").inner_text()
    _enter(tab, SIZE, "40000")
    _wait_for_run(tab, 2)
    after = tab.locator("#answer-Q4").inner_text()
    assert after != before
    assert "levers moved: DPRK: contingent size = 40000" in tab.locator("#overview").inner_text()


def test_an_out_of_range_value_is_refused_beside_its_control_and_the_result_stays(page: dict) -> None:
    tab = page["tab"]
    answers = tab.locator("#answer-Q4").inner_text()
    _enter(tab, SHARE, "1.5")
    refusal = tab.locator("#refused-contingents-DPRK-combat_share")
    refusal.wait_for(timeout=WAIT_MS)
    assert "expected a number in [0, 1], got 1.5" in refusal.inner_text()
    _enter(tab, "Horizon", "sixty")
    assert "expected a whole number" in tab.locator("#refused-scenario-horizon_days").inner_text()
    time.sleep(1)
    assert tab.locator("#run-status").get_attribute("data-run") == "1", "nothing ran"
    assert tab.locator("#answer-Q4").inner_text() == answers
    _enter(tab, SHARE, "0.5")  # a good entry clears the refusal and runs
    _wait_for_run(tab, 2)
    assert tab.locator("#refused-contingents-DPRK-combat_share").count() == 0


def test_the_exported_settings_validate_and_the_report_is_written(page: dict, server: dict) -> None:
    tab = page["tab"]
    _enter(tab, "US: aid per year (EUR bn)", "0")
    _wait_for_run(tab, 2)
    _open_tab(tab, "Export")
    name = tab.get_by_label("Export name")
    name.fill("no-us-aid")
    name.press("Enter")
    tab.get_by_role("button", name="Export settings (TOML) and report").click()
    tab.locator("#export-result", has_text="wrote").wait_for(timeout=WAIT_MS)
    folder = server["out"] / "no-us-aid"
    result = CliRunner().invoke(app, ["validate", str(folder / "no-us-aid.toml")])
    assert result.exit_code == 0, result.output
    assert "aid_eur_bn_per_year_at_start = 0.0" in (folder / "no-us-aid.toml").read_text(encoding="utf-8")
    assert "pawns report" in (folder / "report.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in server["work"].iterdir()) == ["exports"], "nothing written outside the output directory"


def test_two_settings_compare_side_by_side_member_by_member(page: dict) -> None:
    tab = page["tab"]
    _open_tab(tab, "Compare A and B")
    tab.get_by_role("button", name="Keep the current result as A").click()
    _enter(tab, SIZE, "40000")
    _wait_for_run(tab, 2)
    paired = tab.locator("#compare-paired")
    paired.wait_for(timeout=WAIT_MS)
    assert "B minus A, contingent troops killed" in paired.inner_text()
    assert tab.locator("#a-Q4").inner_text() != tab.locator("#b-Q4").inner_text()
    _enter(tab, "Seed", "2")  # different members do not pair
    _wait_for_run(tab, 3)
    assert "do not pair" in tab.locator("#compare-refused").inner_text()
