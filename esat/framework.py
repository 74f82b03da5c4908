"""Framework definitions: a standard's stages, sections, items and scale, as data.

A definition is read from JSON (see ``docs/framework-format.md``) and checked
as it is read: a bad definition raises :class:`FrameworkError` naming the file
and the key (``items[4].section``). Definitions are immutable once loaded.
"""

# No `from __future__ import annotations` in this module: with it, NamedTuple
# compiles each field's annotation string at import, a few ms of every start.

import json
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

from .errors import FrameworkError

FORMAT = 1
SCOPES = ("single_stage", "all_stages")
METHODS = ("percent_met", "cumulative_levels")
WORDINGS = ("official", "derived", "summary")


class ScalePoint(NamedTuple):
    id: str
    label: str
    met: bool
    meaning: str = ""          # what the level means and the evidence that supports it


class UnitType(NamedTuple):
    id: str
    label: str


class Stage(NamedTuple):
    id: str
    title: str
    focus: str = ""
    code_suffix: str = ""
    external_validation: bool = False


class Section(NamedTuple):
    id: str
    title: str


class Item(NamedTuple):
    code: str
    stage: str
    section: str
    text: str
    wording: str
    theme: str = ""

    @property
    def wording_note(self) -> str:
        """What a reader must be told about this wording; empty when official."""
        if self.wording == "derived":
            return ("Derived wording: written by ESAT from the indicator's theme and "
                    "the phase's focus; not the official text.")
        if self.wording == "summary":
            return "Summary wording: ESAT's own summary of the official criterion."
        return ""


class Framework(NamedTuple):
    id: str
    version: str
    title: str
    abbreviation: str
    source: str
    labels: dict[str, str]
    scope: str
    method: str
    threshold: Fraction | None
    scale: tuple[ScalePoint, ...]
    unit_types: tuple[UnitType, ...]
    stages: tuple[Stage, ...]
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    exemptions: tuple[tuple[str, tuple[str, ...], str], ...]   # (unit type, codes, reason)
    definition_json: str

    # -- naming --------------------------------------------------------------

    @property
    def key(self) -> str:
        """The name used on the command line, e.g. ``esps-2009``."""
        return f"{self.id}-{self.version}"

    @property
    def sha256(self) -> str:
        import hashlib             # loads OpenSSL: kept off the start-up path
        return hashlib.sha256(self.definition_json.encode("utf-8")).hexdigest()

    def label(self, what: str) -> str:
        return self.labels[what]

    # -- look-ups --------------------------------------------------------------

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def scale_point(self, rating_id: str) -> ScalePoint:
        for point in self.scale:
            if point.id == rating_id:
                return point
        raise KeyError(rating_id)

    def rating_for_label(self, label: str) -> ScalePoint | None:
        """The scale point whose id or label matches ``label`` (any case)."""
        wanted = " ".join(label.split()).casefold()
        for point in self.scale:
            if wanted in (point.id.casefold(), point.label.casefold()):
                return point
        return None

    def unit_type(self, type_id: str) -> UnitType:
        for unit_type in self.unit_types:
            if unit_type.id == type_id:
                return unit_type
        raise KeyError(type_id)

    def assessed_stages(self, stage_id: str | None) -> tuple[Stage, ...]:
        """The stages an assessment covers: one phase, or every level."""
        if self.scope == "all_stages":
            return self.stages
        if stage_id is None:
            raise KeyError("a stage is required")
        return (self.stage(stage_id),)

    def items_for(self, stage_id: str | None) -> tuple[Item, ...]:
        stage_ids = {stage.id for stage in self.assessed_stages(stage_id)}
        return tuple(item for item in self.items if item.stage in stage_ids)

    def type_exemptions(self, unit_type: str) -> dict[str, str]:
        """Item code → reason, for the items this type of unit need not assess."""
        exempt: dict[str, str] = {}
        for type_id, codes, reason in self.exemptions:
            if type_id == unit_type:
                for code in codes:
                    exempt[code] = reason
        return exempt


# -- loading -------------------------------------------------------------------


def load_framework_file(path: Path) -> Framework:
    """Read and check one framework definition file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError(path, f"cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise FrameworkError(path, "is not UTF-8 text") from None
    return parse_framework(text, source=path)


def parse_framework(text: str, source: Path | str) -> Framework:
    """Build a framework from its JSON text; ``source`` names it in errors."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FrameworkError(
            source, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise FrameworkError(source, "is nested too deeply to be a framework definition") from None
    try:
        return _Reader(source).framework(data, text)
    except RecursionError:
        raise FrameworkError(source, "is nested too deeply to be a framework definition") from None


class _Reader:
    """Checks a parsed definition key by key, naming the key in every error."""

    def __init__(self, source: Path | str):
        self.source = source

    def fail(self, key: str, problem: str) -> FrameworkError:
        return FrameworkError(self.source, f"{key}: {problem}")

    def get(self, obj: dict, key: str, where: str, kind: type, *, required: bool = True,
            default: Any = None) -> Any:
        name = f"{where}.{key}" if where else key
        if key not in obj:
            if required:
                raise self.fail(name, "is missing")
            return default
        value = obj[key]
        if kind is str and not (isinstance(value, str) and value.strip()):
            raise self.fail(name, "must be non-empty text")
        if kind is bool and not isinstance(value, bool):
            raise self.fail(name, "must be true or false")
        if kind is list and not isinstance(value, list):
            raise self.fail(name, "must be a list")
        if kind is dict and not isinstance(value, dict):
            raise self.fail(name, "must be an object")
        if kind is int and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise self.fail(name, "must be a number")
        return value

    def objects(self, data: dict, key: str) -> list[tuple[str, dict]]:
        values = self.get(data, key, "", list)
        out = []
        for index, value in enumerate(values):
            where = f"{key}[{index}]"
            if not isinstance(value, dict):
                raise self.fail(where, "must be an object")
            out.append((where, value))
        return out

    def unique_ids(self, key: str, entries: list[tuple[str, str]]) -> None:
        seen: set[str] = set()
        for where, ident in entries:
            if ident in seen:
                raise self.fail(where, f"repeats the id {ident!r} used earlier in {key}")
            seen.add(ident)

    def framework(self, data: Any, text: str) -> Framework:
        if not isinstance(data, dict):
            raise self.fail("(top level)", "must be a JSON object")
        fmt = self.get(data, "format", "", int)
        if fmt != FORMAT:
            raise self.fail("format", f"is {fmt!r}; this version of ESAT reads format {FORMAT}")
        labels = self.get(data, "labels", "", dict)
        for key in ("stage", "section", "item"):
            self.get(labels, key, "labels", str)
        labels = dict(labels)
        for key, plural in (("stages", "stage"), ("sections", "section"), ("items", "item")):
            labels[key] = self.get(labels, key, "labels", str, required=False,
                                   default=labels[plural] + "s")
        scope = self.get(data, "assessment_scope", "", str)
        if scope not in SCOPES:
            raise self.fail("assessment_scope", f"is {scope!r}; expected one of {', '.join(SCOPES)}")
        scoring = self.get(data, "scoring", "", dict)
        method = self.get(scoring, "method", "scoring", str)
        if method not in METHODS:
            raise self.fail("scoring.method", f"is {method!r}; expected one of {', '.join(METHODS)}")
        threshold = None
        if method == "percent_met":
            raw = self.get(scoring, "threshold_percent", "scoring", int)
            if not 0 <= raw <= 100:
                raise self.fail("scoring.threshold_percent", "must be between 0 and 100")
            threshold = Fraction(str(raw)) / 100

        scale = []
        for where, obj in self.objects(data, "scale"):
            scale.append(ScalePoint(self.get(obj, "id", where, str), self.get(obj, "label", where, str),
                                    self.get(obj, "met", where, bool),
                                    self.get(obj, "meaning", where, str, required=False, default="")))
        if len(scale) < 2:
            raise self.fail("scale", "needs at least two points")
        if not any(point.met for point in scale):
            raise self.fail("scale", "has no point that counts as met")
        self.unique_ids("scale", [(f"scale[{i}].id", p.id) for i, p in enumerate(scale)])
        self.unique_ids("scale", [(f"scale[{i}].label", p.label.casefold()) for i, p in enumerate(scale)])

        unit_types = [UnitType(self.get(o, "id", w, str), self.get(o, "label", w, str))
                      for w, o in self.objects(data, "unit_types")]
        if not unit_types:
            raise self.fail("unit_types", "is empty")
        self.unique_ids("unit_types", [(f"unit_types[{i}].id", u.id) for i, u in enumerate(unit_types)])

        stages = []
        for where, obj in self.objects(data, "stages"):
            stages.append(Stage(
                self.get(obj, "id", where, str), self.get(obj, "title", where, str),
                self.get(obj, "focus", where, str, required=False, default=""),
                self.get(obj, "code_suffix", where, str, required=False, default=""),
                self.get(obj, "external_validation", where, bool, required=False, default=False),
            ))
        if not stages:
            raise self.fail("stages", "is empty")
        self.unique_ids("stages", [(f"stages[{i}].id", s.id) for i, s in enumerate(stages)])

        sections = [Section(self.get(o, "id", w, str), self.get(o, "title", w, str))
                    for w, o in self.objects(data, "sections")]
        if not sections:
            raise self.fail("sections", "is empty")
        self.unique_ids("sections", [(f"sections[{i}].id", s.id) for i, s in enumerate(sections)])

        stage_ids = {s.id for s in stages}
        section_ids = {s.id for s in sections}
        items = []
        for where, obj in self.objects(data, "items"):
            item = Item(
                code=self.get(obj, "code", where, str),
                stage=self.get(obj, "stage", where, str),
                section=self.get(obj, "section", where, str),
                text=self.get(obj, "text", where, str),
                wording=self.get(obj, "wording", where, str),
                theme=self.get(obj, "theme", where, str, required=False, default=""),
            )
            if item.stage not in stage_ids:
                raise self.fail(f"{where}.stage", f"names no stage ({item.stage!r})")
            if item.section not in section_ids:
                raise self.fail(f"{where}.section", f"names no section ({item.section!r})")
            if item.wording not in WORDINGS:
                raise self.fail(f"{where}.wording", f"is {item.wording!r}; expected one of {', '.join(WORDINGS)}")
            items.append(item)
        self.unique_ids("items", [(f"items[{i}].code", it.code) for i, it in enumerate(items)])
        for stage in stages:
            if not any(item.stage == stage.id for item in items):
                raise self.fail("items", f"has none for stage {stage.id!r}")

        codes = {item.code for item in items}
        type_ids = {u.id for u in unit_types}
        exemptions = []
        for where, obj in self.objects(data, "exemptions"):
            type_id = self.get(obj, "unit_type", where, str)
            if type_id not in type_ids:
                raise self.fail(f"{where}.unit_type", f"names no unit type ({type_id!r})")
            exempt_codes = self.get(obj, "codes", where, list)
            for index, code in enumerate(exempt_codes):
                if code not in codes:
                    raise self.fail(f"{where}.codes[{index}]", f"names no item ({code!r})")
            exemptions.append((type_id, tuple(exempt_codes), self.get(obj, "reason", where, str)))

        return Framework(
            id=self.get(data, "id", "", str),
            version=self.get(data, "version", "", str),
            title=self.get(data, "title", "", str),
            abbreviation=self.get(data, "abbreviation", "", str),
            source=self.get(data, "source", "", str, required=False, default=""),
            labels={k: labels[k] for k in ("stage", "section", "item", "stages", "sections", "items")},
            scope=scope,
            method=method,
            threshold=threshold,
            scale=tuple(scale),
            unit_types=tuple(unit_types),
            stages=tuple(stages),
            sections=tuple(sections),
            items=tuple(items),
            exemptions=tuple(exemptions),
            definition_json=text,
        )
