"""Load scenario files: TOML parsing, ``extends`` chains, ``--set`` overrides, clear errors.

Every problem becomes a :class:`~pawns.errors.ScenarioError` naming the file, the dotted key
and what was expected, so the command line can print one line and exit 2.
"""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

from pydantic import ValidationError

from pawns.errors import ScenarioError
from pawns.scenario.schema import Meta, Scenario, range_problems

DEFAULT_SCENARIO = "ru-ua-2024"
MAX_DEPTH = 12


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with pawns."""
    folder = resources.files("pawns") / "scenarios"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def resolve_scenario_source(name_or_path: str, relative_to: Path | None = None) -> tuple[str, str]:
    """Find a scenario's text: a file path, or a built-in name.

    Returns
    -------
    tuple of str
        ``(label, text)`` where ``label`` names the file in messages.
    """
    if not isinstance(name_or_path, str) or not name_or_path or "\x00" in name_or_path:
        raise ScenarioError(repr(name_or_path), "", "a scenario file or a built-in name (without NUL characters)")
    candidate = Path(name_or_path)
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    if candidate.suffix == ".toml" or candidate.exists():
        if not candidate.is_file():
            raise ScenarioError(str(candidate), "", "an existing scenario file")
        try:
            return str(candidate), candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(str(candidate), "", "a readable UTF-8 text file", str(exc)) from None
    if name_or_path in builtin_names():
        text = (resources.files("pawns") / "scenarios" / f"{name_or_path}.toml").read_text(encoding="utf-8")
        return f"<built-in {name_or_path}>", text
    raise ScenarioError(name_or_path, "", f"a scenario file or one of the built-ins {builtin_names()}")


def _parse(label: str, text: str) -> dict[str, Any]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(label, "", "valid TOML", str(exc)) from None
    except RecursionError:
        raise ScenarioError(label, "", f"tables and arrays nested at most {MAX_DEPTH} deep") from None
    _check_depth(label, raw)
    return raw


def _walk(node: Any) -> Iterator[tuple[Any, str, int]]:
    """Every value of a raw scenario with its dotted key and depth, and every key as a value of its own (depth -1)."""
    stack: list[tuple[Any, str, int]] = [(node, "", 0)]
    while stack:
        value, key, depth = stack.pop()
        yield value, key, depth
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for name, child in items:
            yield str(name), key, -1
            stack.append((child, f"{key}.{name}" if key else str(name), depth + 1))


def _check_depth(label: str, node: Any, limit: int = MAX_DEPTH) -> None:
    """Refuse tables and arrays nested deeper than ``limit`` (a scenario needs six levels)."""
    for _, key, depth in _walk(node):
        if depth > limit:
            raise ScenarioError(label, key, f"tables and arrays nested at most {limit} deep")


def _check_text(label: str, node: Any) -> None:
    """Refuse NUL characters in keys and text: the results' files (netCDF attributes, CSV) cannot hold them."""
    for value, key, depth in _walk(node):
        if isinstance(value, str) and "\x00" in value:
            raise ScenarioError(label, key, "names without NUL characters" if depth < 0 else "text without NUL characters", value)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge tables; an override's scalars and arrays replace the base's."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and not _is_param_table(value):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _is_param_table(value: dict[str, Any]) -> bool:
    # A parameter written as a table replaces the base parameter whole: merging a new
    # distribution into an old one would mix their fields.
    return "dist" in value or "value" in value


def _raw_chain(name_or_path: str, seen: tuple[str, ...], relative_to: Path | None) -> tuple[str, dict[str, Any]]:
    label, text = resolve_scenario_source(name_or_path, relative_to)
    if label in seen:
        cycle = " -> ".join([*seen, label])
        raise ScenarioError(label, "scenario.extends", "a chain of extends without a cycle", cycle)
    raw = _parse(label, text)
    meta = raw.get("scenario", {})
    _anchor_posterior(label, meta)
    parent = meta.get("extends") if isinstance(meta, dict) else None
    if parent is None:
        return label, raw
    if not isinstance(parent, str):
        raise ScenarioError(label, "scenario.extends", "a scenario name or path (string)", parent)
    here = Path(label).parent if not label.startswith("<built-in") else None
    _, base = _raw_chain(parent, (*seen, label), here)
    base.get("scenario", {}).pop("extends", None)
    base.get("scenario", {}).pop("remove", None)
    removals = meta.get("remove", [])
    if not isinstance(removals, list) or not all(isinstance(key, str) for key in removals):
        raise ScenarioError(label, "scenario.remove", "a list of dotted keys (strings)", removals)
    for key in removals:
        _delete(label, base, key)
    return label, _merge(base, raw)


def _anchor_posterior(label: str, meta: Any) -> None:
    # A posterior file is named relative to the scenario file that names it (a built-in's
    # to the built-in folder), so scenarios extending it elsewhere still find it.
    path = meta.get("posterior") if isinstance(meta, dict) else None
    if isinstance(path, str) and not Path(path).is_absolute():
        folder = resources.files("pawns") / "scenarios" if label.startswith("<built-in") else Path(label).parent
        meta["posterior"] = str(Path(str(folder)) / path)


def _delete(label: str, raw: dict[str, Any], dotted: str) -> None:
    node: Any = raw
    parts = dotted.split(".")
    for part in parts[:-1]:
        if not isinstance(node, dict) or part not in node:
            raise ScenarioError(label, "scenario.remove", "keys that exist in the extended scenario", dotted)
        node = node[part]
    if not isinstance(node, dict) or parts[-1] not in node:
        raise ScenarioError(label, "scenario.remove", "keys that exist in the extended scenario", dotted)
    del node[parts[-1]]


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse one ``key=value`` override; the value is read as TOML (bare words as strings)."""
    if "=" not in text:
        raise ScenarioError("--set", text, "key=value")
    key, value = (part.strip() for part in text.split("=", 1))
    if not key:
        raise ScenarioError("--set", text, "a dotted key before '='")
    try:
        parsed = tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value
    except RecursionError:
        raise ScenarioError("--set", key, f"a value nested at most {MAX_DEPTH} deep") from None
    _check_depth("--set", parsed)
    return key, parsed


def apply_overrides(raw: dict[str, Any], assignments: Iterable[str], label: str = "--set") -> dict[str, Any]:
    """Return a copy of ``raw`` with ``--set key=value`` overrides applied (``label`` names them in errors)."""
    result = copy.deepcopy(raw)
    for text in assignments:
        key, value = parse_assignment(text)
        node: Any = result
        parts = key.split(".")
        for depth, part in enumerate(parts[:-1]):
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
                continue
            if not isinstance(node, dict) or part not in node:
                raise ScenarioError(label, ".".join(parts[: depth + 1]), "an existing table of the scenario")
            node = node[part]
        last = parts[-1]
        if isinstance(node, list) and last.isdigit() and int(last) < len(node):
            node[int(last)] = value
        elif isinstance(node, dict):
            node[last] = value
        else:
            raise ScenarioError(label, key, "a key inside a table of the scenario")
    return result


def validate_raw(label: str, raw: dict[str, Any]) -> Scenario:
    """Validate a merged raw dictionary into a :class:`Scenario`, with readable errors."""
    _check_text(label, raw)
    try:
        # strict: a number written as text ("730") or a date with a time is an error, never converted
        scenario = Scenario.model_validate(raw, strict=True)
    except ValidationError as exc:
        raise _first_error(label, exc, raw) from None
    problems = range_problems(scenario)
    if problems:
        key, expected, got = problems[0]
        raise ScenarioError(label, key, expected, got)
    return scenario


def _first_error(label: str, exc: ValidationError, raw: dict[str, Any], prefix: tuple = ()) -> ScenarioError:
    """The first problem pydantic found, as one :class:`ScenarioError` naming its dotted key."""
    error = exc.errors()[0]
    loc = (*prefix, *error["loc"])
    key = ".".join(str(part) for part in loc if not str(part).startswith("function-"))
    return ScenarioError(label, key, _expected({**error, "loc": loc}, raw, key), _got(error))


def _got(error: dict[str, Any]) -> object | None:
    if error["type"] in {"missing", "extra_forbidden"}:
        return None
    value = error.get("input")
    return value if isinstance(value, (int, float, str, bool)) else None


def _expected(error: dict[str, Any], raw: dict[str, Any], key: str) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _known_keys(error["loc"][:-1])
        listing = f": one of {', '.join(known)}" if known else ""
        return f"a known key (this one is not part of the scenario schema; check its spelling){listing}"
    if kind == "missing":
        return "this required key to be present"
    if kind == "date_type":
        return "a date such as 2024-10-01 (a date alone, without a time)"
    message = error["msg"]
    for prefix in ("Value error, ", "Input should be "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return message[0].lower() + message[1:] if message else "a valid value"


def _known_keys(loc: tuple) -> list[str]:
    """Field names allowed at a location of the schema, as a file writes them (for 'unknown key' messages)."""
    import typing

    from pydantic import BaseModel

    model: object = Scenario
    for part in loc:
        if isinstance(model, type) and issubclass(model, BaseModel):
            field = {(info.alias or name): info for name, info in model.model_fields.items()}.get(str(part))
            if field is None:
                return []
            model = field.annotation
        elif typing.get_origin(model) in (dict, list):
            model = typing.get_args(model)[-1]
        else:
            return []
        for arg in typing.get_args(model) if typing.get_origin(model) is typing.Union or type(model).__name__ == "UnionType" else ():
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                model = arg
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [info.alias or name for name, info in model.model_fields.items()]
    return []


def load_raw(name_or_path: str = DEFAULT_SCENARIO, overrides: Iterable[str] = ()) -> tuple[str, dict[str, Any]]:
    """Load a scenario's tables, resolve its ``extends`` chain and apply ``--set`` overrides.

    Parameters
    ----------
    name_or_path
        A built-in scenario name (see :func:`builtin_names`) or a path to a TOML file.
    overrides
        ``key=value`` strings, applied after ``extends`` is resolved.

    Returns
    -------
    tuple
        ``(label, raw)``: the name of the source in messages, and the merged tables, not yet
        validated (parameters bound to the evidence ledger are bound by
        :func:`pawns.evidence.scenarios.load_scenario`, which then validates them).

    Raises
    ------
    ScenarioError
        On a missing or malformed file, an unknown override key, or a cyclic chain.
    """
    label, raw = _raw_chain(name_or_path, (), None)
    overrides = list(overrides)
    if overrides:
        raw = apply_overrides(raw, overrides, label=f"--set on {label}")
        label = f"{label} (with --set)"
    _validate_meta(label, raw)  # the dates the ledger is read at are checked first
    return label, raw


def _validate_meta(label: str, raw: dict[str, Any]) -> None:
    """Check the ``[scenario]`` table alone, so that its errors name its keys."""
    meta = raw.get("scenario")
    if not isinstance(meta, dict):
        return  # validate_raw names the missing or malformed table
    try:
        Meta.model_validate(meta, strict=True)
    except ValidationError as exc:
        raise _first_error(label, exc, raw, prefix=("scenario",)) from None
