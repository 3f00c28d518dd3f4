"""Take the screenshots of docs/dashboard.md: a running ``pawns dashboard`` in headless Chromium.

Usage::

    python tools/dashboard_screenshot.py [--engine compiled|numpy] [-n MEMBERS]

Writes docs/dashboard.png (the answers, after moving the DPRK contingent to 30,000) and
docs/dashboard-charts.png (the fan charts of the same run).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 900_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto", choices=("auto", "compiled", "numpy"))
    parser.add_argument("-n", "--members", type=int, default=1000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen([sys.executable, "-m", "pawns", "dashboard", "--port", "0", "--engine", args.engine, "-n", str(args.members),
                               "--out", tempfile.mkdtemp(prefix="pawns-dashboard-screenshot-")],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = next(line.split()[2] for line in server.stdout if line.startswith("pawns dashboard: http://"))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1050})
            page.goto(url)
            page.locator("#run-status[data-run='1'][data-done='yes']").wait_for(timeout=WAIT_MS)
            box = page.get_by_label("DPRK: contingent size")
            box.fill("30000")
            box.press("Enter")
            page.locator("#run-status[data-run='2'][data-done='yes']").wait_for(timeout=WAIT_MS)
            page.screenshot(path=str(DOCS / "dashboard.png"))
            page.locator(".bk-tab", has_text="Fan charts").click()
            page.locator("canvas").first.wait_for(timeout=WAIT_MS)
            page.wait_for_timeout(2000)
            page.screenshot(path=str(DOCS / "dashboard-charts.png"), full_page=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(30)
    print(f"wrote {DOCS / 'dashboard.png'} and {DOCS / 'dashboard-charts.png'}")


if __name__ == "__main__":
    main()
