"""Grading claims on the Admiralty (NATO) scales, and the weight each grade earns.

Source reliability: A completely reliable, B usually reliable, C fairly reliable, D not usually
reliable, E unreliable, F cannot be judged. Information credibility: 1 confirmed by other
sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged.

Imported claims are graded by :func:`grade_claim`, a rule on who the claimant is and what the
notes say (documented in docs/evidence.md); hand-written claims carry grades chosen by the same
rule and reviewed in git.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Weight of a grade = reliability weight x credibility weight. "Cannot be judged" (F, 6) sits
# between "not usually reliable" and "unreliable": unknown is not the same as bad.
RELIABILITY_WEIGHT = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.3}
CREDIBILITY_WEIGHT = {"1": 1.0, "2": 0.8, "3": 0.6, "4": 0.4, "5": 0.2, "6": 0.3}
# A belligerent speaking of its enemy's quantities has a motive to inflate them.
ENEMY_CLAIM_WEIGHT = 0.5


def grade_weight(reliability: str, credibility: str) -> float:
    """Weight in (0, 1] earned by an Admiralty grade (A1 = 1)."""
    return RELIABILITY_WEIGHT[reliability] * CREDIBILITY_WEIGHT[credibility]


@dataclass(frozen=True)
class ClaimantClass:
    """A kind of claimant, recognised by a pattern on the claimant's name."""

    name: str
    pattern: re.Pattern[str]
    reliability: str
    credibility: str
    side: str = ""


def _c(name: str, pattern: str, reliability: str, credibility: str, side: str = "") -> ClaimantClass:
    return ClaimantClass(name, re.compile(pattern, re.IGNORECASE), reliability, credibility, side)


# Checked in order; the first match decides. Anonymous officials relayed by media come before
# named governments, so "US officials via New York Times" is graded as relayed, not as the US;
# non-belligerent governments come before the belligerents, so a joint US-Ukrainian estimate is
# graded as the non-belligerent's.
CLAIMANT_CLASSES: tuple[ClaimantClass, ...] = (
    _c("unattributed", r"^unattributed|^unnamed\b(?!.*officials)", "F", "6"),
    _c("statistics or documented independent method",
       r"rosstat|mediazona|bbc russian|meduza|kiel institute|\bisw\b|bain|academy of science|bofit|bank of finland|"
       r"open source centre|naumann|re:russia|dupuy|ualosses|istories|vazhnye|reuters investigation|new york times analysis|"
       r"\brusi\b|\bcsis\b|deepstate|black bird group|official pre-war",
       "B", "2"),
    _c("leaked intelligence", r"leak", "B", "3"),
    _c("officials relayed by media", r"via (the )?(new york times|wall street journal|wsj|the times|cbs)|unnamed us officials|"
       r"confidential|experts cited|western intelligence|western estimates|western officials|western security sources|"
       r"independent investigations|derived from", "C", "3"),
    _c("non-belligerent government or intelligence",
       r"\bus\b|u\.s\.|white house|pentagon|\bdod\b|blinken|kirby|\bcia\b|milley|\buk\b|radakin|shapps|"
       r"\bmi6\b|\brok\b|\bnis\b|shin won-sik|kang dae|south korea|\bkida\b|korea institute for defense|\bnato\b|\beston|\bsalm\b|"
       r"kiviselg|intelligence estimates", "B", "2"),
    _c("Ukrainian government or military",
       r"zelensky|ukrain|kyiv|syrskyi|umerov|\bhur\b|kostin|lytvynenko|kostenko|chereva|nsdc|prosecutor general|\brada\b|"
       r"venislavsky|united24", "C", "3", "UA"),
    _c("Russian government or military",
       r"putin|russian (mod|defen[cs]e|government|draft)|shoigu|belousov|medvedev|kremlin|sobyanin|moscow and st|manturov|"
       r"lysogorsky|prigozhin|storm-z fighter|gerasimov|russian officials|regional decree|regional authorities", "C", "3", "RU"),
    # The DPRK fights on Russia's side: its statements are a belligerent's.
    _c("DPRK government or state media", r"\bdprk\b|\bkcna\b|\bkrt\b|pyongyang|north korea", "C", "3", "RU"),
    _c("media's own reporting or analysis", r"wall street journal|new york times|economist|financial times|moscow times|"
       r"newsweek|reuters|military experts|brigade commanders|washington post|kommersant|\bnhk\b", "C", "3"),
    _c("other named person", r".", "E", "6"),
)

# Notes that change credibility (one step worse each, at most to 5); order does not matter.
_DOUBT = re.compile(r"anecdotal|disputed|contradicted|treat with caution|called it a lie|overestimate", re.IGNORECASE)
_RELAYS_BELLIGERENT = re.compile(r"citing (the )?(ukrainian|russian)", re.IGNORECASE)
_UNSOURCED = re.compile(r"unsourced|unclear sourcing|low-quality outlet", re.IGNORECASE)


@dataclass(frozen=True)
class Grade:
    """Grades given to a claim, the claimant's side, and the rule that gave them."""

    reliability: str
    credibility: str
    side: str
    reason: str


def classify(claimant: str) -> ClaimantClass:
    """The first claimant class whose pattern matches ``claimant``.

    Text in parentheses (whom the claimant cites, or relays) is left out: "UK MoD (citing
    Ukrainian General Staff data)" is the UK MoD speaking.
    """
    main = re.sub(r"\([^)]*\)", "", claimant).strip() or claimant
    return next(cls for cls in CLAIMANT_CLASSES if cls.pattern.search(main))


def grade_claim(claimant: str, notes: str, about_enemy: bool) -> Grade:
    """Grade a claim by the documented rule.

    1. The claimant's class gives the base grade (first match in :data:`CLAIMANT_CLASSES`).
    2. A belligerent speaking of its enemy drops to ``D4``.
    3. Notes saying the figure is anecdotal, disputed or contradicted, or a claimant citing a
       belligerent's data, lower credibility one step each (at most to 5).
    4. Notes saying the claim is unsourced or from a low-quality outlet make it ``F6``.
    """
    cls = classify(claimant)
    reliability, credibility, reasons = cls.reliability, cls.credibility, [cls.name]
    if about_enemy:
        reliability, credibility = "D", "4"
        reasons.append("belligerent about its enemy")
    if _DOUBT.search(notes):
        credibility = str(min(5, int(credibility) + 1))
        reasons.append("noted as anecdotal or disputed")
    if _RELAYS_BELLIGERENT.search(claimant):
        credibility = str(min(5, int(credibility) + 1))
        reasons.append("relays a belligerent's data")
    if _UNSOURCED.search(notes):
        reliability, credibility = "F", "6"
        reasons.append("unsourced")
    return Grade(reliability, credibility, cls.side, "; ".join(reasons))
