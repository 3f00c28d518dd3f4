"""The dashboard page of one browser session: controls, answers, fan charts, comparison, export.

Every control is a lever of :mod:`pawns.dashboard.levers` (or members and seed). An entry is
parsed and the settings validated against the schema on the page's thread; a refusal is shown
beside the control and nothing runs, so the last good result stays on screen. A good entry is
handed to the session's :class:`~pawns.dashboard.worker.LatestWins`, which runs it off the
page's thread (a newer entry cancels an older run) and hands the result back through the
document's next-tick callback, the only way a Bokeh document may be changed from elsewhere.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, Callable

from pawns.dashboard import charts, exports
from pawns.dashboard.levers import Lever, LeverError
from pawns.dashboard.runs import CHUNK_SIZE, DEPTH, Outcome, paired_comparison, run_questions
from pawns.analysis.summary import variant_scenarios
from pawns.dashboard.settings import Base, Settings, check_name, parse_members, parse_seed, scenario_toml
from pawns.dashboard.worker import LatestWins, Ticket
from pawns.engine.store import require_stored_run_memory
from pawns.errors import PawnsError
from pawns.report.answers import Answer, answers, overview
from pawns.report.channels import channel_tables
from pawns.report.rundir import RunData

CSS = """
.refusal { color: #b00020; font-size: 12px; min-height: 0; }
.lever-help { color: #555; font-size: 11px; }
.answer h3 { margin: 6px 0 2px 0; font-size: 15px; }
.answer .headline { font-weight: 600; margin: 2px 0; }
.answer details { font-size: 13px; color: #333; }
.side-by-side { display: flex; gap: 16px; }
.side-by-side > div { flex: 1; }
table.channels { border-collapse: collapse; font-size: 13px; }
table.channels td, table.channels th { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right; }
table.channels td:first-child, table.channels th:first-child { text-align: left; }
"""


@dataclass(frozen=True)
class Config:
    """How the server runs every session: output directory, engine choice, and the first settings."""

    out_dir: Path
    engine: Callable[[], str]
    members: int = 1000
    seed: int = 0


@dataclass(frozen=True)
class Shown:
    """The settings of the result on screen, and the result."""

    settings: Settings
    outcome: Outcome
    seconds: float
    engine: str


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def answers_html(found: list[Answer], prefix: str = "answer") -> str:
    """Q1–Q4 as HTML: the question, its first sentence (the answer with its interval), the rest folded."""
    parts = []
    for answer in found:
        first, rest = (answer.sentences[0], answer.sentences[1:]) if answer.sentences else ("not available", [])
        more = f"<details><summary>why, and more</summary><p>{' '.join(_escape(s) for s in rest)}</p></details>" if rest else ""
        parts.append(f'<section class="answer" id="{prefix}-{answer.key}"><h3>{answer.key}. {_escape(answer.question)}</h3>'
                     f'<p class="headline">{_escape(first)}</p>{more}</section>')
    return "\n".join(parts)


def channels_html(run: RunData) -> str:
    """The channel decomposition as the report tabulates it (:mod:`pawns.report.channels`), or why there is none."""
    tables = channel_tables(run)
    if not tables:
        return "<p id='channels'>This scenario has no contributor with channels to decompose.</p>"
    parts = []
    for table in tables:
        head = "".join(f"<th>{_escape(c)}</th>" for c in table.columns)
        rows = "".join("<tr>" + "".join(f"<td>{_escape(cell)}</td>" for cell in row) + "</tr>" for row in table.rows)
        parts.append(f"<h3>{_escape(table.heading)}</h3><table class='channels'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
                     f"<p class='lever-help'>{_escape(table.note)}</p>")
    return "<div id='channels'>" + "".join(parts) + "</div>"


class Dashboard:
    """One session's page. Build it inside a Bokeh/Panel session (it keeps the session's document)."""

    def __init__(self, base: Base, config: Config) -> None:
        import panel as pn

        self.pn = pn
        self.base = base
        self.config = config
        self.doc = pn.state.curdoc
        self.settings = Settings(members=config.members, seed=config.seed)
        self.shown: Shown | None = None
        self.pinned: Shown | None = None
        self.started: dict[int, tuple[Settings, float, str]] = {}
        self.inputs: dict[str, Any] = {}
        self.refusals: dict[str, Any] = {}
        self.worker = LatestWins(self._work, self._from_worker(self._show), self._from_worker(self._progress))
        self._build()
        self._submit()

    # --- layout ------------------------------------------------------------------------
    def _control(self, key: str, label: str, value: str, help_text: str, parse: Callable[[str], Any]) -> Any:
        pn = self.pn
        entry = pn.widgets.TextInput(name=label, value=value, width=260, css_classes=["lever"], tags=[key])
        refusal = pn.pane.HTML("", css_classes=["refusal"], width=260, margin=(0, 10))
        entry.param.watch(partial(self._changed, key, parse), "value")
        self.inputs[key], self.refusals[key] = entry, refusal
        return pn.Column(entry, refusal, pn.pane.HTML(f'<div class="lever-help">{_escape(help_text)}</div>', width=260, margin=(0, 10)),
                         margin=(0, 0, 6, 0))

    def _lever_control(self, lever: Lever) -> Any:
        help_text = f"{lever.help}; {lever.expected()}" if lever.help else lever.expected()
        return self._control(lever.key, lever.label, lever.format(lever.read(self.base.raw)), help_text, lever.parse)

    def _build(self) -> None:
        pn = self.pn
        controls = [self._lever_control(lever) for lever in self.base.levers]
        controls.append(self._control("members", "Members", str(self.settings.members), "ensemble size; more members, narrower "
                                      "sampling intervals, longer runs", parse_members))
        controls.append(self._control("seed", "Seed", str(self.settings.seed), "the same settings, members and seed give the same "
                                      "numbers; two settings compare member by member only with the same members and seed", parse_seed))
        self.progress = pn.indicators.Progress(name="run", value=0, max=100, width=260, bar_color="primary")
        self.status = pn.pane.HTML("", css_classes=["status"], width=260)
        sidebar = pn.Column(pn.pane.HTML(f"<h2>pawns dashboard</h2><div>{_escape(self.base.scenario.meta.title)}</div>"),
                            self.progress, self.status, *controls, width=290)
        self.overview = pn.pane.HTML("", css_classes=["overview"], sizing_mode="stretch_width")
        self.answers = pn.pane.HTML("<p>running…</p>", css_classes=["answers"], sizing_mode="stretch_width")
        self.plots = pn.Column(sizing_mode="stretch_width")
        self.channels = pn.pane.HTML("", css_classes=["channels"], sizing_mode="stretch_width")
        self.pin = pn.widgets.Button(name="Keep the current result as A", button_type="primary", css_classes=["pin"])
        self.pin.on_click(self._pin)
        self.comparison = pn.pane.HTML("<p>Keep a result as A, move a lever, and A and the new result B are compared here, "
                                       "member by member.</p>", css_classes=["comparison"], sizing_mode="stretch_width")
        self.export_name = pn.widgets.TextInput(name="Export name", value=_default_name(self.base), width=260, css_classes=["export-name"])
        self.export_button = pn.widgets.Button(name="Export settings (TOML) and report", button_type="success", css_classes=["export"])
        self.export_button.on_click(self._export)
        self.export_status = pn.pane.HTML(f"<p>Writes into {_escape(str(self.config.out_dir))}/NAME/.</p>", css_classes=["export-status"],
                                          sizing_mode="stretch_width")
        tabs = pn.Tabs(("Answers", pn.Column(self.overview, self.answers, sizing_mode="stretch_width")),
                       ("Fan charts", pn.Column(pn.pane.HTML(f"<p class='lever-help'>Line: median of the members; bands: 50% and 90% of "
                                                             f"them. Black: observed, raw. {_escape(charts.observed_note())}</p>"),
                                                self.plots, sizing_mode="stretch_width")),
                       ("Channels", self.channels),
                       ("Compare A and B", pn.Column(self.pin, self.comparison, sizing_mode="stretch_width")),
                       ("Export", pn.Column(self.export_name, self.export_button, self.export_status, sizing_mode="stretch_width")),
                       sizing_mode="stretch_width", dynamic=False)
        self.layout = pn.Row(sidebar, tabs, sizing_mode="stretch_width", stylesheets=[CSS])
        pn.state.on_session_destroyed(lambda context: self.worker.close(timeout=0))

    # --- controls ----------------------------------------------------------------------
    def _refuse(self, key: str, message: str) -> None:
        self.refusals[key].object = f"<span class='refused' id='refused-{element_id(key)}'>{_escape(message)}</span>"

    def _changed(self, key: str, parse: Callable[[str], Any], event: Any) -> None:
        try:
            value = parse(event.new)
            settings = self._with(key, value)
            applied = self.base.apply(settings)
            if key == "members" or key == "scenario.horizon_days":  # the scenario and its paired variants, as question_plan runs them
                runs = 1 + len(variant_scenarios(applied.scenario, DEPTH))
                require_stored_run_memory(settings.members, runs, applied.scenario, CHUNK_SIZE, trajectories=True)
        except (LeverError, PawnsError) as exc:
            self._refuse(key, f"refused: {' '.join(str(exc).split())}; the result shown is for the last good entry")
            return
        self.refusals[key].object = ""
        self.settings = settings
        self._submit()

    def _with(self, key: str, value: Any) -> Settings:
        if key == "members":
            return Settings(self.settings.values, value, self.settings.seed)
        if key == "seed":
            return Settings(self.settings.values, self.settings.members, value)
        return self.settings.with_value(key, value)

    def _submit(self) -> None:
        engine = self.config.engine()
        number = self.worker.submit((self.settings, engine))
        self.started[number] = (self.settings, time.perf_counter(), engine)
        self.progress.value = 0
        self.status.object = f"<span id='run-status' data-run='{number}'>running {self.settings.members:,} members ({engine} engine)…</span>"

    # --- the worker's side -------------------------------------------------------------
    def _work(self, request: tuple[Settings, str], ticket: Ticket) -> Outcome:
        settings, engine = request
        scenario = self.base.apply(settings).scenario
        return run_questions(scenario, settings.members, settings.seed, engine=engine, progress=ticket.progress)

    def _from_worker(self, handler: Callable[..., None]) -> Callable[..., None]:
        """A callback the worker's thread may call: it runs ``handler`` on the page's next tick."""
        def schedule(*args: Any) -> None:
            try:
                self.doc.add_next_tick_callback(partial(handler, *args))
            except Exception:  # the session has ended; nobody is watching
                pass
        return schedule

    def _progress(self, number: int, share: float) -> None:
        if not self.worker.superseded(number):
            self.progress.value = int(round(100 * share))

    def _show(self, number: int, outcome: Outcome | None, error: BaseException | None) -> None:
        settings, started, engine = self.started.pop(number)
        for older in [n for n in self.started if n < number]:
            self.started.pop(older)
        if self.worker.superseded(number):
            return
        if error is not None:
            self.status.object = (f"<span id='run-status' data-run='{number}'>the run failed: {_escape(' '.join(str(error).split()))}; "
                                  "the last good result stays</span>")
            return
        with self.pn.io.hold(self.doc):  # the whole update reaches the page as one message
            self._render(number, settings, started, engine, outcome)

    def _render(self, number: int, settings: Settings, started: float, engine: str, outcome: Outcome) -> None:
        data = outcome.data
        self.overview.object = ("<div id='overview'>" + "".join(f"<p>{_escape(s)}</p>" for s in overview(data))
                                + f"<p class='lever-help'>{_escape(_moved(self.base, settings))}</p></div>")
        self.answers.object = answers_html(answers(data))
        self.channels.object = channels_html(data)
        self.plots.objects = [self.pn.pane.Bokeh(charts.draw(chart), sizing_mode="stretch_width") for chart in charts.charts(data)]
        self.shown = Shown(settings, outcome, time.perf_counter() - started, engine)
        self._compare()
        # The status changes last: once it says "updated", everything above is on the page.
        self.progress.value = 100
        self.status.object = (f"<span id='run-status' data-run='{number}' data-done='yes'>updated in {self.shown.seconds:.1f} s: "
                              f"{settings.members:,} members, seed {settings.seed}, {engine} engine</span>")

    # --- comparison --------------------------------------------------------------------
    def _pin(self, event: Any) -> None:
        if self.shown is None:
            return
        self.pinned = self.shown
        self._compare()

    def _compare(self) -> None:
        if self.pinned is None or self.shown is None:
            return
        a, b = self.pinned, self.shown
        head = (f"<p><b>A</b>: {_escape(_moved(self.base, a.settings))}<br><b>B</b> (the current result): "
                f"{_escape(_moved(self.base, b.settings))}</p>")
        if a is b:
            self.comparison.object = head + "<p id='compare-waiting'>A is kept. Move a lever: the new result is B, compared here.</p>"
            return
        if not a.settings.pairs_with(b.settings):
            self.comparison.object = head + "<p id='compare-refused'>A and B do not pair: give B the same members and seed as A.</p>"
            return
        try:
            compared = paired_comparison(a.outcome, b.outcome)
        except ValueError as exc:
            self.comparison.object = head + f"<p id='compare-refused'>{_escape(str(exc))}.</p>"
            return
        self.comparison.object = (head + "<div class='side-by-side'>"
                                  f"<div id='compare-a'><h3>A</h3>{answers_html(answers(a.outcome.data), 'a')}</div>"
                                  f"<div id='compare-b'><h3>B</h3>{answers_html(answers(b.outcome.data), 'b')}</div></div>"
                                  "<h3>B against A, member by member (common random numbers)</h3>"
                                  f"<div id='compare-paired'>{answers_html(answers(compared), 'paired')}</div>")

    # --- export ------------------------------------------------------------------------
    def _export(self, event: Any) -> None:
        shown = self.shown
        if shown is None:
            self.export_status.object = "<p id='export-result'>nothing to export yet: wait for the first result</p>"
            return
        name = self.export_name.value
        self.export_status.object = "<p id='export-result'>writing…</p>"
        threading.Thread(target=self._write_export, args=(name, shown), daemon=True).start()

    def _write_export(self, name: str, shown: Shown) -> None:
        try:
            name = check_name(name)
            applied = self.base.apply(shown.settings, name)
            run = _renamed(shown.outcome.data, applied.scenario)
            folder = exports.export_run(self.config.out_dir, name, scenario_toml(applied, self.base.source, shown.settings), run)
            message = f"wrote {folder / (name + '.toml')} and {folder / 'report.html'}"
        except (PawnsError, OSError) as exc:
            message = f"refused: {' '.join(str(exc).split())}"
        self._from_worker(self._exported)(message)

    def _exported(self, message: str) -> None:
        self.export_status.object = f"<p id='export-result'>{_escape(message)}</p>"


def element_id(key: str) -> str:
    """A control's key as an HTML id (``contingents.DPRK.size_persons`` -> ``contingents-DPRK-size_persons``)."""
    return key.replace(".", "-")


def _renamed(run: RunData, scenario: Any) -> RunData:
    return replace(run, scenarios=[scenario], summary={**run.summary, "scenario": scenario.meta.name})


def _default_name(base: Base) -> str:
    return f"{base.scenario.meta.name[:56]}-custom"


def _moved(base: Base, settings: Settings) -> str:
    moved = [f"{base.lever(key).label} = {base.lever(key).format(value)}" for key, value in settings.values]
    return (("levers moved: " + "; ".join(moved)) if moved else "the scenario as it is") + \
        f" ({settings.members:,} members, seed {settings.seed})"
