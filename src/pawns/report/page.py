"""The report as one self-contained HTML page: inline CSS, figures as data URIs, no scripts.

Nothing in the page makes a request when it is opened: there is no script, no external style
sheet or font, every image is embedded, and the favicon is an empty data URI (a browser would
otherwise ask for ``/favicon.ico``). Links to sources are ordinary ``<a href>`` that load only
when a reader follows them.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field

from pawns.outputs import PAGE_GENERATOR
from pawns.analysis.bottom_line import KeyFigure
from pawns.report.answers import Answer
from pawns.report.assumptions import ParameterRow
from pawns.report.canvas import ReportFigure
from pawns.report.channels import ChannelTable
from pawns.report.takes_home import HEADING as TAKES_HOME, TakesHomeTable
from pawns.report.observed import Overlap

CSS = """
body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1b1b1b;
       max-width: 1080px; margin: 0 auto; padding: 0 1.5rem 4rem; line-height: 1.5; background: #fff; }
header { border-bottom: 3px solid #1b1b1b; margin-bottom: 1.5rem; padding-top: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .3rem; }
.meta { color: #555; font-size: .92rem; margin: .2rem 0 1rem; }
nav ol { columns: 2; font-size: .92rem; padding-left: 1.2rem; }
.answer { border-left: 4px solid #0072b2; padding: .1rem 0 .1rem 1rem; margin: 1rem 0; }
.answer h3 { margin-top: .2rem; }
.answer p { margin: .35rem 0; }
figure { margin: 2rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e5e5e5; }
figcaption { font-size: .9rem; color: #333; margin-top: .4rem; }
table { border-collapse: collapse; width: 100%; font-size: .82rem; margin: .6rem 0 1.2rem; table-layout: fixed; }
td, th { overflow-wrap: anywhere; }
table.parameters col.name { width: 30%; } table.parameters col.dist { width: 17%; }
table.parameters col.drawn { width: 17%; } table.parameters col.source { width: 36%; }
th, td { text-align: left; vertical-align: top; padding: .25rem .45rem; border-bottom: 1px solid #e3e3e3; }
th { background: #f3f3f3; position: sticky; top: 0; }
td.num { font-variant-numeric: tabular-nums; }
code { font-size: .85rem; background: #f3f3f3; padding: 0 .2rem; }
.note { color: #555; font-size: .9rem; }
.caveat { background: #fff8e5; border: 1px solid #f0d48a; padding: .5rem .8rem; font-size: .9rem; }
"""


@dataclass(frozen=True)
class ParameterTable:
    """One scenario's parameters as the page lists them."""

    heading: str
    note: str
    rows: list[ParameterRow]


@dataclass(frozen=True)
class PageContent:
    """Everything the page shows, already computed."""

    title: str
    meta: str
    overview: list[str]
    answers: list[Answer]
    key_figures: list[KeyFigure]
    figures: list[ReportFigure]
    figure_folder: str
    overlaps: list[Overlap]
    scenario_notes: list[str]
    parameter_tables: list[ParameterTable]
    reproduction: list[str]
    link_problem: str
    footer: str
    channel_tables: list[ChannelTable] = field(default_factory=list)
    takes_home: TakesHomeTable | None = None


def _e(text: str) -> str:
    return html.escape(str(text))


def data_uri(png: bytes) -> str:
    """A PNG as a ``data:`` URI (the page embeds its figures)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render(content: PageContent) -> str:
    """The complete HTML document."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        PAGE_GENERATOR,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{_e(content.title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<header><h1>{_e(content.title)}</h1><p class=\"meta\">{_e(content.meta)}</p></header>",
        _contents(content),
        _answers(content),
        _channels(content),
        _takes_home(content),
        _figures(content),
        _observed(content),
        _assumptions(content),
        f"<p class=\"note\">{_e(content.footer)}</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _contents(content: PageContent) -> str:
    items = ['<li><a href="#answers">Answers to the questions</a></li>']
    if content.channel_tables:
        items.append('<li><a href="#channels">What each channel of the help buys</a></li>')
    if content.takes_home is not None:
        items.append(f'<li><a href="#takes-home">{_e(TAKES_HOME)}</a></li>')
    items += [f'<li><a href="#{_e(f.slug)}">{_e(f.title)}</a></li>' for f in content.figures]
    items += ['<li><a href="#observed">Observed series and their caveats</a></li>', '<li><a href="#assumptions">Assumptions and reproduction</a></li>']
    return "<nav><h2>Contents</h2><ol>" + "".join(items) + "</ol></nav>"


def _answers(content: PageContent) -> str:
    parts = ['<section id="answers"><h2>Answers to the questions</h2>']
    parts += [f"<p>{_e(s)}</p>" for s in content.overview]
    parts.append('<p class="note">Numbers are medians across the ensemble with 90% intervals (5th to 95th percentile of members), '
                 "so they carry the uncertainty of every input. Paired effects are differences taken member by member.</p>")
    parts.append(_key_figures(content.key_figures))
    for answer in content.answers:
        parts.append(f'<div class="answer"><h3>{_e(answer.key)}. {_e(answer.question)}</h3>')
        if answer.bottom_line:
            parts.append(f'<p class="bottom-line"><strong>{_e(answer.bottom_line)}</strong></p>')
        parts += [f"<p>{_e(s)}</p>" for s in answer.sentences]
        parts.append("</div>")
    parts.append("</section>")
    return "\n".join(parts)


def _key_figures(rows: list[KeyFigure]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{_e(c)}</th>" for c in ("question", "measure", "median", "90% of members", "above zero in"))
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in (r.question, r.measure, r.median, r.range, r.above_zero)) + "</tr>"
                   for r in rows)
    return f'<table class="key-figures"><caption>Key figures</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _channels(content: PageContent) -> str:
    """The channel decomposition tables, if the run has contributors."""
    if not content.channel_tables:
        return ""
    parts = ['<section id="channels"><h2>What each channel of the help buys</h2>']
    for table in content.channel_tables:
        parts.append(f"<h3>{_e(table.heading)}</h3>")
        parts.append(f'<p class="note">{_e(table.note)}</p>')
        parts.append("<table><tr>" + "".join(f"<th>{_e(c)}</th>" for c in table.columns) + "</tr>")
        parts += ["<tr>" + "".join(f'<td class="num">{_e(cell)}</td>' for cell in row) + "</tr>" for row in table.rows]
        parts.append("</table>")
    parts.append("</section>")
    return "\n".join(parts)


def _takes_home(content: PageContent) -> str:
    """What the DPRK takes home (M11, M12), if the run's scenario has a DPRK contributor."""
    table = content.takes_home
    if table is None:
        return ""
    parts = [f'<section id="takes-home"><h2>{_e(TAKES_HOME)}</h2>', f'<p class="note">{_e(table.note)}</p>',
             "<table><tr>" + "".join(f"<th>{_e(c)}</th>" for c in table.columns) + "</tr>"]
    parts += ["<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in table.rows]
    if table.cohort_rows and len(table.cohort_columns) > 2:
        parts.append(f"</table><h3>{_e(table.cohort_heading)}</h3><table><tr>" + "".join(f"<th>{_e(c)}</th>" for c in table.cohort_columns) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in table.cohort_rows]
    parts.append("</table><h3>What these indicators cannot say</h3><ul>" + "".join(f"<li>{_e(x)}</li>" for x in table.limits) + "</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def _figures(content: PageContent) -> str:
    parts = ['<section id="figures"><h2>Figures</h2>',
             f'<p class="note">Each figure is also saved as a PNG file in <code>{_e(content.figure_folder)}</code> beside this page.</p>']
    for figure in content.figures:
        parts.append(f'<figure id="{_e(figure.slug)}"><h3>{_e(figure.title)}</h3>'
                     f'<img src="{data_uri(figure.png)}" alt="{_e(figure.title)}">'
                     f"<figcaption>{_e(figure.caption)}</figcaption></figure>")
    parts.append("</section>")
    return "\n".join(parts)


def _observed(content: PageContent) -> str:
    parts = ['<section id="observed"><h2>Observed series and their caveats</h2>',
             '<p class="caveat">Observed series are drawn raw, with no reporting factor: Ukraine\'s loss figures are claims by one '
             "belligerent about the other; the named dead are a lower bound that lags. They are shown where their dates overlap the run, "
             "as a check on orders of magnitude, not as the truth the model should match.</p>",
             "<table><tr><th>series</th><th>source</th><th>caveat</th><th>dates shared with this run</th></tr>"]
    for o in content.overlaps:
        source = f'<a href="{_e(o.link)}" rel="noreferrer">{_e(o.source)}</a>' if o.link else _e(o.source)
        window = f"{o.first} to {o.last}" if o.first else "none (not drawn)"
        parts.append(f"<tr><td>{_e(o.title)}</td><td>{source}</td><td>{_e(o.caveat)}</td><td class=\"num\">{_e(window)}</td></tr>")
    parts.append("</table></section>")
    return "\n".join(parts)


def _assumptions(content: PageContent) -> str:
    parts = ['<section id="assumptions"><h2>Assumptions and reproduction</h2>']
    parts += [f"<p>{_e(n)}</p>" for n in content.scenario_notes]
    parts.append("<h3>Reproduce these numbers</h3><ul>" + "".join(f"<li>{_e(line)}</li>" for line in content.reproduction) + "</ul>")
    if content.link_problem:
        parts.append(f'<p class="note">{_e(content.link_problem)}</p>')
    else:
        parts.append('<p class="note">Claim ids (e.g. Q3-037) link to the public report each claim of the evidence ledger comes from; '
                     '"derived" marks arithmetic on sourced figures and "assumption" a modelling judgement with no source.</p>')
    for table in content.parameter_tables:
        parts.append(f"<h3>{_e(table.heading)}</h3>")
        if table.note:
            parts.append(f'<p class="note">{_e(table.note)}</p>')
        parts.append('<table class="parameters"><colgroup><col class="name"><col class="dist"><col class="drawn"><col class="source"></colgroup>'
                     "<tr><th>parameter</th><th>drawn from</th><th>drawn: median [90%]</th><th>source</th></tr>")
        # <wbr> after each dot lets long dotted names wrap between their parts rather than inside a word.
        parts += [f"<tr><td><code>{_e(r.name).replace('.', '.<wbr>')}</code></td><td class=\"num\">{_e(r.drawn_from)}</td><td class=\"num\">{_e(r.drawn)}</td>"
                  f"<td>{r.source_html}</td></tr>" for r in table.rows]
        parts.append("</table>")
    parts.append("</section>")
    return "\n".join(parts)
