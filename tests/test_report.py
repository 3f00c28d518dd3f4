"""Reports: what the page says, that it is self-contained, and that bad results directories are refused."""

from __future__ import annotations

import base64
import json
import re
import shutil
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from pawns.analysis.bottom_line import bottom_lines
from pawns.analysis.wording import interval_text, number
from pawns.cli.main import app
from pawns.evidence import load_scenario
from pawns.report.answers import wilson
from pawns.report.fanchart import FAN_QUANTILES, fan_quantiles

# The parameters the default scenario draws from its posterior: what its calibration scenario transfers.
TRANSFERRED = len(load_scenario("ru-ua-2023").calibration.transfer)

runner = CliRunner()
SHORT = ["-n", "40", "--seed", "5", "--set", "scenario.horizon_days=120", "-q"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and its visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: Path) -> Elements:
    parser = Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "run"
    result = runner.invoke(app, ["run", *SHORT, "--out", str(out), "--report"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def compare_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "compare"
    result = runner.invoke(app, ["compare", "ru-ua-2024-no-dprk", "ru-ua-2024", *SHORT, "--out", str(out), "--report"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def outcomes_only_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "lean"
    result = runner.invoke(app, ["run", *SHORT, "--out", str(out), "--outcomes-only", "--report"])
    assert result.exit_code == 0, result.output
    return out


def _embedded_pngs(page: Path) -> list[bytes]:
    images = [attrs["src"] for tag, attrs in parse(page).tags if tag == "img"]
    assert all(src.startswith("data:image/png;base64,") for src in images), "every image is embedded"
    return [base64.b64decode(src.split(",", 1)[1]) for src in images]


@pytest.mark.parametrize("which", ["run_dir", "compare_dir", "outcomes_only_dir"])
def test_page_embeds_every_figure_and_refers_to_nothing_outside(which: str, request: pytest.FixtureRequest) -> None:
    folder = request.getfixturevalue(which)
    page = folder / "report.html"
    pngs = _embedded_pngs(page)
    files = sorted((folder / "report-figures").glob("*.png"))
    assert pngs and len(pngs) == len(files)
    assert [f.read_bytes() for f in files] == pngs, "the PNG files beside the page are the figures it embeds"
    assert all(png.startswith(PNG_SIGNATURE) for png in pngs)
    tags = parse(page).tags
    assert not [t for t, _ in tags if t in ("script", "iframe", "object", "embed")]
    loaded = [a.get("src") or a.get("href") for t, a in tags if t in ("img", "link", "source", "video", "audio")]
    assert all(url.startswith("data:") for url in loaded), loaded
    assert "url(" not in page.read_text(encoding="utf-8"), "no style sheet loads anything"


def test_run_page_has_the_promised_figures_and_sections(run_dir: Path) -> None:
    names = {p.stem.split("-", 1)[1] for p in (run_dir / "report-figures").glob("*.png")}
    assert {"front-strength", "casualties-by-nationality", "casualties-by-formation", "casualty-tolerance", "western-support", "bonus",
            "territory", "endurance-dates", "abandonment-dates", "race", "days-bought", "labor-vs-combat", "cost-per-day",
            "ledger", "casualties-vs-claims", "killed-vs-named-dead"} <= names
    text = (run_dir / "report.html").read_text(encoding="utf-8")
    positions = [text.index(marker) for marker in ('id="answers"', 'id="figures"', 'id="observed"', 'id="assumptions"')]
    assert positions == sorted(positions), "answers first, then figures, then observed series and assumptions"
    for key in ("Q1.", "Q2.", "Q3.", "Q4."):
        assert f"<h3>{key} " in text


def test_run_page_shows_the_channel_decomposition_of_the_summary(run_dir: Path) -> None:
    text = (run_dir / "report.html").read_text(encoding="utf-8")
    section = text[text.index('id="channels"'):text.index('id="figures"')]
    rows = json.loads((run_dir / "summary.json").read_text())["channels"]["rows"]
    for channel in rows:
        assert f'<td class="num">{channel}</td>' in section, channel
    assert "interaction" in section and "all minus the sum of the channels" in section


def test_run_page_shows_what_the_dprk_takes_home_as_the_summary_says(run_dir: Path) -> None:
    text = (run_dir / "report.html").read_text(encoding="utf-8")
    section = text[text.index('id="takes-home"'):text.index('id="figures"')]
    found = json.loads((run_dir / "summary.json").read_text())["dprk_takes_home"]
    for group in ("ledger", "indicators"):
        for indicator in found[group].values():
            assert f"<td>{indicator['label']}</td>" in section, indicator["label"]
            assert f"<td>{indicator['unit']}</td>" in section, indicator["unit"]
    veterans = found["indicators"]["veterans_home"]
    assert f"{veterans['median']:,.0f} ({veterans['q05']:,.0f} to {veterans['q95']:,.0f})" in section
    for tech, t in found["technology"].items():
        assert f"technology received: {tech.replace('_', ' ')}" in section and f"P = {100 * t['probability']:.0f}%" in section
    assert "What these indicators cannot say" in section


def test_answers_quote_the_summary(run_dir: Path) -> None:
    summary = json.loads((run_dir / "summary.json").read_text())
    text = " ".join(parse(run_dir / "report.html").text)
    killed = summary["questions"]["Q4"]["ledger"]["DPRK"]["killed"]
    assert interval_text(killed) in text
    q1 = summary["questions"]["Q1"]["tolerance_days_bought"]
    assert number(q1["median"], 1 if abs(q1["median"]) < 10 else 0) in text
    p_with = summary["questions"]["Q3"]["p_abandon_first_with"]
    assert f"{100 * p_with:.0f}%" in text


def test_each_answer_leads_with_its_bottom_line_after_a_key_figures_table_and_no_model_ids(run_dir: Path) -> None:
    summary = json.loads((run_dir / "summary.json").read_text())
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    lines = bottom_lines(summary, {"RU": "Russia", "UA": "Ukraine"}.get)
    for key in ("Q1", "Q2", "Q3", "Q4"):
        heading = html.index(f"<h3>{key}. ")
        assert html.index('<p class="bottom-line">', heading) < html.index("<p>", heading), f"{key} leads with its bottom line"
        assert escape(lines[key]) in html
    assert html.index('class="key-figures"') < html.index("<h3>Q1. ")
    assert not re.search(r"\(M\d+\)", " ".join(parse(run_dir / "report.html").text)), "M-ids stay in the docs"


def test_every_parameter_is_listed_with_what_it_is_drawn_from_and_its_source(run_dir: Path) -> None:
    import xarray as xr

    from pawns.scenario.schema import parameter_group

    with xr.open_dataset(run_dir / "results.nc") as ds:
        names = [str(n) for n in ds["parameter"].values]
        described = [str(d) for d in ds["parameter_distribution"].values]
    rows = {}
    parser = parse(run_dir / "report.html")
    text = (run_dir / "report.html").read_text(encoding="utf-8")
    for name, description in zip(names, described):
        group = parameter_group(name)
        if group != name:  # a drift's innovations are one row: how many, each drawn from what, the values pooled
            count = sum(parameter_group(n) == group for n in names)
            assert f"{count} values, one per block, each {description}" in text.replace("&#x27;", "'"), group
            continue
        row = re.search(rf"<tr><td><code>{re.escape(name.replace('.', '.<wbr>'))}</code></td><td class=\"num\">([^<]*)</td>", text)
        assert row, name
        rows[name] = row.group(1)
        assert row.group(1).replace("&#x27;", "'") == description
    # The calibrated parameters say they come from the posterior, naming the prior the calibration started from.
    calibrated = [name for name, shown in rows.items() if shown.startswith("posterior (prior ")]
    assert len(calibrated) == TRANSFERRED and "combat.fires_exponent" in calibrated
    assert rows["combat.fires_exponent"] == "posterior (prior uniform(0.5, 1))"
    assert f"{TRANSFERRED} parameters are drawn jointly from the calibrated posterior (ru-ua-2024.csv" in " ".join(parser.text)
    assert "pawns run ru-ua-2024 -n 40 --seed 5" in " ".join(parser.text)
    assert "scenario.horizon_days = 120 (built-in: 730)" in " ".join(parser.text), "the override that reproduces the run is named"


def test_claim_ids_link_to_their_reports_when_the_ledger_is_available(run_dir: Path) -> None:
    from pawns.report.assumptions import claim_links

    links = claim_links()
    if links.problem:
        pytest.skip(links.problem)
    text = (run_dir / "report.html").read_text(encoding="utf-8")
    linked = dict(re.findall(r'<a href="([^"]+)" rel="noreferrer">(Q\d+-\d{3})</a>', text))
    assert linked, "parameter sources cite claims"
    for url, claim in list(linked.items())[:10]:
        assert links.urls[claim] == url.replace("&amp;", "&")


def test_observed_series_are_drawn_where_they_overlap_and_in_the_year_before(run_dir: Path, tmp_path: Path) -> None:
    text = (run_dir / "report.html").read_text(encoding="utf-8")
    lead = "(the year before the start 2024-10-01 included)"
    assert f"2023-10-02 to 2025-01-29 {lead}" in text  # the claims and Liveuamap's area lead in; the claims cover the whole run
    assert f"2023-10-02 to 2025-01-16 {lead}" in text  # the Liveuamap area stops in mid-January 2025
    assert f"2024-07-08 to 2025-01-29 {lead}" in text  # DeepState's series starts in July 2024
    for start, drawn in (("2026-03-01", True), ("2027-06-01", False)):  # the data end on 2025-12-31
        late = tmp_path / start
        result = runner.invoke(app, ["run", "ru-ua-2024-no-dprk", "-n", "4", "-q", "--set", "scenario.horizon_days=20",
                                     "--set", f"scenario.start_date={start}", "--out", str(late), "--report"])
        assert result.exit_code == 0, result.output
        names = {p.stem.split("-", 1)[1] for p in (late / "report-figures").glob("*.png")}
        assert ("casualties-vs-claims" in names) is drawn, "a forecast starting after the data shows the year it continues"
        assert "killed-vs-named-dead" not in names
        page = (late / "report.html").read_text(encoding="utf-8")
        assert page.count("none (not drawn)") == 4, "no stream shares the run's own dates"
        assert ("2025-03-01 to 2025-12-31 (the year before the start 2026-03-01 included)" in page) is drawn


def test_comparison_page_answers_with_paired_effects(compare_dir: Path) -> None:
    summary = json.loads((compare_dir / "summary.json").read_text())
    text = " ".join(parse(compare_dir / "report.html").text)
    effect = summary["against"][0]["effects"]["contingent_killed"]
    assert interval_text(effect) in text
    assert "ru-ua-2024 minus ru-ua-2024-no-dprk" in text
    names = {p.stem.split("-", 1)[1] for p in (compare_dir / "report-figures").glob("*.png")}
    assert {"days-bought", "cost-per-day", "endurance-dates", "race", "ledger"} <= names
    assert "pawns compare ru-ua-2024-no-dprk ru-ua-2024 -n 40 --seed 5" in text


def test_report_command_writes_where_asked_and_replaces_cleanly(compare_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "shared" / "dprk.html"
    for _ in range(2):
        result = runner.invoke(app, ["report", str(compare_dir), "--out", str(target), "-q"])
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.parent.iterdir()) == ["dprk-figures", "dprk.html"], "no temporary files left behind"
    assert f"Report written to {target}" in result.output


def _broken(tmp_path: Path, run_dir: Path, damage: str) -> Path:
    bad = tmp_path / damage
    shutil.copytree(run_dir, bad)
    for leftover in ("report.html", "report-figures"):
        path = bad / leftover
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    if damage == "unfinished":
        (bad / "COMPLETE").unlink()
    elif damage == "no-trajectories":
        (bad / "results.nc").unlink()
    elif damage == "truncated-trajectories":
        data = (bad / "results.nc").read_bytes()
        (bad / "results.nc").write_bytes(data[: len(data) // 3])
    elif damage == "bad-summary":
        (bad / "summary.json").write_text("{not json", encoding="utf-8")
    elif damage == "missing-rows":
        lines = (bad / "outcomes.csv").read_text(encoding="utf-8").splitlines()
        (bad / "outcomes.csv").write_text("\n".join(lines[:10]) + "\n", encoding="utf-8")
    elif damage == "no-variant":
        (bad / "outcomes_labor.csv").unlink()
    return bad


@pytest.mark.parametrize("damage, named", [
    ("unfinished", "COMPLETE"), ("no-trajectories", "results.nc"), ("truncated-trajectories", "results.nc"),
    ("bad-summary", "summary.json"), ("missing-rows", "outcomes.csv"), ("no-variant", "outcomes_labor.csv"),
])
def test_a_bad_results_directory_is_a_clear_error_and_writes_nothing(run_dir: Path, tmp_path: Path, damage: str, named: str) -> None:
    bad = _broken(tmp_path, run_dir, damage)
    before = sorted(p.name for p in bad.iterdir())
    result = runner.invoke(app, ["report", str(bad), "-q"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and named in lines[0], result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in bad.iterdir()) == before, "nothing written, not even a temporary file"


def test_outcomes_only_page_draws_the_sketched_series_and_every_outcome_figure(outcomes_only_dir: Path) -> None:
    names = {p.stem.split("-", 1)[1] for p in (outcomes_only_dir / "report-figures").glob("*.png")}
    assert {"casualties-by-side", "casualties-vs-claims", "territory", "endurance-dates", "abandonment-dates", "race", "days-bought", "labor-vs-combat",
            "cost-per-day", "ledger"} <= names
    assert not names & {"front-strength", "casualties-by-formation", "casualty-tolerance"}, "no trajectories were kept to draw these"
    text = " ".join(parse(outcomes_only_dir / "report.html").text)
    assert "outcomes only" in text and "quantile sketches" in text
    assert "--outcomes-only" in text, "the reproduction command repeats the flag"
    for key in ("Q1.", "Q2.", "Q3.", "Q4."):
        assert key in text


def test_sketched_bands_hold_the_members_order_statistics(outcomes_only_dir: Path, run_dir: Path) -> None:
    """The same members with and without trajectories: each sketched quantile lies within one bin of its order statistic."""
    from pawns.report.rundir import load_run

    lean, full = load_run(outcomes_only_dir), load_run(run_dir)
    assert lean.outcomes_only and not full.outcomes_only
    assert np.array_equal(lean.dates(), full.dates())
    for series, values in (("daily_casualties/RU", full.dataset["daily_casualties"].sel(side="RU").values),
                           ("daily_area", full.dataset["daily_area"].values)):
        bands = lean.sketched(series)
        ordered = np.sort(values.astype(np.float64), axis=0)
        n = ordered.shape[0]
        for row, q in enumerate(FAN_QUANTILES):
            rank = ordered[int(np.ceil(q * n)) - 1]
            resolved = rank > 1.0  # the sketch reads values at or below its floor of 1 as 0
            assert np.all(np.abs(bands[row][resolved] / rank[resolved] - 1) <= 10 ** (1 / 200) - 1 + 1e-9), (series, q)


@pytest.mark.parametrize("damage", ["rows", "column", "text"])
def test_a_damaged_daily_quantiles_file_is_a_clear_error(outcomes_only_dir: Path, tmp_path: Path, damage: str) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(outcomes_only_dir, bad)
    shutil.rmtree(bad / "report-figures")
    (bad / "report.html").unlink()
    file = bad / "daily_quantiles.csv"
    lines = file.read_text(encoding="utf-8").splitlines()
    if damage == "rows":
        file.write_text("\n".join(lines[:-5]) + "\n", encoding="utf-8")
    elif damage == "column":
        file.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    else:
        file.write_text("\n".join([lines[0], lines[1].rsplit(",", 1)[0] + ",many", *lines[2:]]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(bad), "-q"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "daily_quantiles.csv" in lines[0], result.output
    assert not (bad / "report.html").exists()


def test_missing_directory_and_bad_out_are_clear_errors(run_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such directory" in result.output
    result = runner.invoke(app, ["report", str(run_dir), "--out", str(tmp_path / "report.pdf")])
    assert result.exit_code == 2 and ".html" in result.output
    assert not (tmp_path / "report.pdf").exists()


def test_fan_quantiles_are_the_percentiles_across_members_ignoring_gaps() -> None:
    members = np.arange(101, dtype=float)[:, None] * np.array([[1.0, 2.0]])
    members[0, 1] = np.nan  # a member with no value at the second time
    q = fan_quantiles(members)
    assert np.allclose(q[:, 0], [5, 25, 50, 75, 95])
    assert np.allclose(q[:, 1], np.quantile(members[1:, 1], [0.05, 0.25, 0.5, 0.75, 0.95]))
    assert np.isnan(fan_quantiles(np.full((3, 2), np.nan))).all()


def test_wilson_interval_known_values() -> None:
    low, high = wilson(0.5, 100)
    assert low == pytest.approx(0.41885, abs=1e-4) and high == pytest.approx(0.58115, abs=1e-4)
    low, high = wilson(0.0, 40)
    assert low == 0.0 and 0 < high < 0.07  # never a negative probability, never a zero-width interval


def test_numbers_read_as_numbers() -> None:
    assert number(-0.2) == "0" and number(-1234.0) == "\u22121,234" and number(None) == "—"
    assert interval_text({"median": 1830.2, "q05": 1068.6, "q95": 2915.7}) == "1,830 (90% interval 1,069 to 2,916)"


def test_a_posterior_that_cannot_be_read_is_said_so_not_passed_off_as_the_priors() -> None:
    from pawns.evidence import load_scenario
    from pawns.report.assumptions import claim_links, parameter_rows, parameter_source

    scenario = load_scenario("ru-ua-2024")
    moved = scenario.model_copy(update={"meta": scenario.meta.model_copy(update={"posterior": "/nowhere/ru-ua-2024.csv"})})
    source = parameter_source(moved)
    assert "could not be read here" in source.note and "/nowhere/ru-ua-2024.csv" in source.note
    rows = {r.name: r.drawn_from for r in parameter_rows(moved, claim_links(), source=source)}
    assert rows["combat.fires_exponent"] == "uniform(0.5, 1)"
    assert parameter_source(scenario).note.startswith(f"{TRANSFERRED} parameters are drawn jointly from the calibrated posterior")


def test_differences_that_are_one_value_in_nearly_every_member_are_said_not_drawn() -> None:
    from matplotlib import pyplot as plt

    from pawns.report.figures_outcomes import _difference_hist

    figure, (spiked, spread) = plt.subplots(1, 2)
    _difference_hist(spiked, np.r_[np.zeros(97), np.arange(1.0, 4.0)], "red", "days", "nothing to delay")
    _difference_hist(spread, np.linspace(-5.0, 5.0, 100), "red", "days", "nothing to delay")
    said = [t.get_text() for t in spiked.texts]
    assert said == ["0 days in 97% of members:\nnothing to delay"] and not spiked.patches, "a spike is said, not drawn as one bar"
    assert spread.patches and "nothing to delay" not in " ".join(t.get_text() for t in spread.texts)
    plt.close(figure)
