"""What a leaflet says and how it looks, as plain data a volunteer can write.

A :class:`LeafletSpec` is read from a small TOML (or JSON) file, checked field
by field with messages that name the field, and written back as TOML. The
templates, colours and fonts are small fixed sets: volunteers choose, they do
not design. Pure: no ReportLab, no database.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any, Literal

from canvass.domain.errors import ValidationError


@dataclass(frozen=True, slots=True)
class Template:
    """A layout and the paper it is printed on."""

    name: str
    label: str
    width_mm: float  # the trimmed page (for a4-folded: the flat sheet)
    height_mm: float
    sides: tuple[int, ...]  # the sides a volunteer may choose
    n_up: tuple[int, ...]  # copies per A4 sheet a volunteer may choose
    paper: str  # "A5", "DL"...: for file names
    needs: str = ""  # the spec section this layout cannot do without
    about: str = ""

    @property
    def size_mm(self) -> tuple[float, float]:
        """Width and height of a page, in millimetres."""
        return (self.width_mm, self.height_mm)


TEMPLATES: dict[str, Template] = {
    t.name: t
    for t in (
        Template("a5-flyer", "A5 flyer", 148, 210, (1, 2), (1, 2), "A5",
                 about="A hand-out or letterbox flyer, one or two sides."),
        Template("a4-folded", "A4 folded to A5", 297, 210, (2,), (1,), "A4-folded",
                 about="Four A5 panels: cover, two inside pages, back. Print both sides, "
                 "flip on the short edge, fold in half."),
        Template("dl", "DL (one third of A4)", 99, 210, (1, 2), (1, 3), "DL",
                 about="A tall narrow flyer that fits a DL envelope; three to an A4 sheet."),
        Template("a4-letter", "A4 letter", 210, 297, (1,), (1,), "A4", needs="letter",
                 about="A letter with letterhead, addressee, signatures; mail merge."),
        Template("a4-poster", "A4 meeting poster", 210, 297, (1,), (1,), "A4", needs="event",
                 about="A public-meeting poster: what, when, where, who speaks."),
        Template("a3-poster", "A3 meeting poster", 297, 420, (1,), (1,), "A3", needs="event",
                 about="The meeting poster on A3, for noticeboards and windows."),
        Template("reply-slip", "A4 leaflet with reply slip", 210, 297, (1,), (1,), "A4",
                 about="A leaflet with a cut-off form people fill in and send back."),
    )
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Colour:
    """A brand colour: screen (RGB hex) and press (CMYK 0-1) values, and the ink on it."""

    hex: str
    cmyk: tuple[float, float, float, float]
    on_hex: str = "#FFFFFF"  # text printed on the colour
    on_cmyk: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


#: Each colour is dark enough for white text on it (contrast 4.5:1 or better),
#: except yellow, which carries dark ink. CMYK values are chosen, not computed.
PALETTE: dict[str, Colour] = {
    "teal": Colour("#0E7C86", (0.90, 0.20, 0.35, 0.15)),
    "navy": Colour("#1D3A6E", (1.00, 0.75, 0.15, 0.30)),
    "red": Colour("#B3261E", (0.10, 0.95, 0.95, 0.10)),
    "green": Colour("#2E7D32", (0.80, 0.15, 1.00, 0.15)),
    "purple": Colour("#5E35B1", (0.72, 0.85, 0.00, 0.00)),
    "orange": Colour("#B84A00", (0.05, 0.75, 1.00, 0.20)),
    "magenta": Colour("#A1125A", (0.20, 1.00, 0.30, 0.15)),
    "charcoal": Colour("#33404D", (0.70, 0.50, 0.35, 0.55)),
    "yellow": Colour("#F5C400", (0.00, 0.20, 1.00, 0.00), "#1F2933", (0.70, 0.55, 0.40, 0.85)),
}

#: Font families embedded in every PDF; each covers Welsh (ŵ ŷ) and names like Łukasz.
FONTS: dict[str, str] = {
    "roboto": "Roboto: plain and modern (headlines in Roboto Black)",
    "source-sans": "Source Sans: friendly and compact (headlines in Source Sans Black)",
    "source-serif": "Source Serif: traditional, for letters and formal notices",
}

PLACEMENTS = ("hero", "body", "logo")
DEAR_RESIDENT = "Dear resident"
YOURS_SINCERELY = "Yours sincerely"
SLIP_INTRO = "Fill in the form below and return it to us."
SLIP_TICKS = ("Keep me informed", "I can help")
WELSH_LAYOUTS = ("side-by-side", "welsh-first")


@dataclass(frozen=True, slots=True)
class LeafletImage:
    """A photo or logo. ``placement``: hero (big, at the top), body (in the text), logo."""

    path: str
    caption: str = ""
    placement: str = "hero"


@dataclass(frozen=True, slots=True)
class QRCode:
    """A QR code: a web address (a petition, a contact page) or any short text."""

    data: str
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Welsh:
    """The Welsh text of a bilingual leaflet; Welsh is placed first or on the left."""

    headline: str = ""
    subheading: str = ""
    body: str = ""
    layout: str = "side-by-side"  # or "welsh-first"


@dataclass(frozen=True, slots=True)
class Event:
    """A public meeting, for posters (and any flyer that announces one)."""

    what: str
    when: str
    where: str
    speakers: tuple[str, ...] = ()
    admission: str = ""  # "Free. Everyone welcome."


@dataclass(frozen=True, slots=True)
class Signatory:
    """Someone who signs a letter."""

    name: str
    role: str = ""


@dataclass(frozen=True, slots=True)
class Letter:
    """A letter's parts; with mail merge, ``recipient`` and ``salutation`` come per household."""

    body: str
    recipient: tuple[str, ...] = ()
    salutation: str = DEAR_RESIDENT
    sign_off: str = YOURS_SINCERELY
    signatories: tuple[Signatory, ...] = ()
    date: str = ""  # printed as written; empty: the day it is printed


@dataclass(frozen=True, slots=True)
class ReplySlip:
    """The cut-off form: name, address, phone, email, tick boxes and consent."""

    intro: str = SLIP_INTRO
    ticks: tuple[str, ...] = SLIP_TICKS
    return_to: str = ""
    consent: str = ""  # empty: a plain consent line naming the campaign


@dataclass(frozen=True, slots=True)
class Recipient:
    """One household of a mail merge: "Dear Ms Jones" (or "Dear resident") and the address."""

    salutation: str
    name: str
    address_lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LeafletSpec:
    """Everything a leaflet says, and the few choices of how it looks."""

    template: str
    title: str
    election_material: bool = False
    printed_commercially: bool = False
    headline: str = ""
    subheading: str = ""
    body: str = ""
    sides: int = 1
    images: tuple[LeafletImage, ...] = ()
    qr: QRCode | None = None
    contact: str = ""
    colour: str = "teal"
    font: str = "roboto"
    bilingual_welsh: Welsh | None = None
    event: Event | None = None
    letter: Letter | None = None
    reply_slip: ReplySlip | None = None

    @property
    def layout(self) -> Template:
        """The template this spec uses."""
        return TEMPLATES[self.template]


# -- reading -----------------------------------------------------------------

_ABOUT = {
    "template": f"the layout: one of {', '.join(TEMPLATES)}",
    "title": "a short name for the leaflet, e.g. 'Library meeting poster'",
    "headline": "the big words at the top",
    "what": "what the event is, e.g. 'Public meeting'",
    "when": "the day and time, e.g. 'Thursday 12 March, 7pm'",
    "where": "the place, e.g. 'Sampleton Community Hall, Mill Lane'",
    "body": "the main text",
    "path": "the image file, e.g. 'photo.jpg' beside the spec file",
    "data": "the web address or text the QR code holds",
    "name": "the person's name",
}


class _Reader:
    """Reads one table of the spec, collecting every problem with its field's name."""

    def __init__(self, data: Any, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems
        self.data: Mapping[str, Any] = {}
        if not isinstance(data, Mapping):
            self.problems.append(f"'{where}' must be a table of fields")
        else:
            self.data = data

    def name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where != "leaflet" else key

    def unknown(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" (did you mean '{self.name(close[0])}'?)" if close else ""
                self.problems.append(f"unknown field '{self.name(str(key))}'{hint}")

    def text(self, key: str, default: str | None = "", *, limit: int = 20_000) -> str:
        value = self.data.get(key)
        if value is None:
            if default is None:
                about = f" ({_ABOUT[key]})" if key in _ABOUT else ""
                self.problems.append(f"missing field '{self.name(key)}'{about}")
                return ""
            return default
        if not isinstance(value, str):
            self.problems.append(f"'{self.name(key)}' must be text in quotes, not {_kind(value)}")
            return default or ""
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
            self.problems.append(f"'{self.name(key)}' holds control characters; retype it")
        if len(value) > limit:
            self.problems.append(
                f"'{self.name(key)}' is {len(value):,} characters; the limit is {limit:,}"
            )
        if default is None and not value.strip():
            self.problems.append(f"'{self.name(key)}' is empty")
        return value

    def choice(self, key: str, choices: Mapping[str, Any] | tuple[str, ...], default: str) -> str:
        value = self.text(key, default)
        if value not in choices:
            self.problems.append(
                f"'{self.name(key)}' is '{value}'; choose one of {', '.join(choices)}"
            )
            return default
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.problems.append(f"'{self.name(key)}' must be true or false, not {_kind(value)}")
            return default
        return value

    def number(self, key: str, allowed: tuple[int, ...], default: int) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            self.problems.append(
                f"'{self.name(key)}' is {value!r}; "
                f"this template allows {' or '.join(str(a) for a in allowed)}"
            )
            return default
        return value

    def texts(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.append(f'\'{self.name(key)}\' must be a list of texts, like ["a", "b"]')
            return default
        return tuple(value)

    def tables(self, key: str) -> list[_Reader]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.append(f"'{self.name(key)}' must be a list of tables ([[{key}]])")
            return []
        return [
            _Reader(v, f"{self.name(key)}[{i + 1}]", self.problems) for i, v in enumerate(value)
        ]

    def table(self, key: str) -> _Reader | None:
        value = self.data.get(key)
        return None if value is None else _Reader(value, self.name(key), self.problems)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return type(value).__name__


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _image(r: _Reader) -> LeafletImage:
    r.unknown(_names(LeafletImage))
    return LeafletImage(
        r.text("path", None), r.text("caption"), r.choice("placement", PLACEMENTS, "hero")
    )


def _qr(r: _Reader) -> QRCode:
    r.unknown(_names(QRCode))
    return QRCode(r.text("data", None, limit=1000), r.text("caption"))


def _welsh(r: _Reader) -> Welsh:
    r.unknown(_names(Welsh))
    return Welsh(r.text("headline"), r.text("subheading"), r.text("body"),
                 r.choice("layout", WELSH_LAYOUTS, "side-by-side"))  # fmt: skip


def _event(r: _Reader) -> Event:
    r.unknown(_names(Event))
    return Event(r.text("what", None), r.text("when", None), r.text("where", None),
                 r.texts("speakers"), r.text("admission"))  # fmt: skip


def _letter(r: _Reader) -> Letter:
    r.unknown(_names(Letter))
    signatories = []
    for s in r.tables("signatories"):
        s.unknown(_names(Signatory))
        signatories.append(Signatory(s.text("name", None), s.text("role")))
    return Letter(r.text("body", None), r.texts("recipient"), r.text("salutation", DEAR_RESIDENT),
                  r.text("sign_off", YOURS_SINCERELY), tuple(signatories),
                  r.text("date"))  # fmt: skip


def _slip(r: _Reader) -> ReplySlip:
    r.unknown(_names(ReplySlip))
    return ReplySlip(r.text("intro", SLIP_INTRO), r.texts("ticks", SLIP_TICKS),
                     r.text("return_to"), r.text("consent"))  # fmt: skip


def spec_from_data(data: object) -> LeafletSpec:
    """A spec from parsed TOML/JSON data.

    Raises:
        ValidationError: Naming every missing, unknown or wrong field at once.
    """
    problems: list[str] = []
    top = _Reader(data, "leaflet", problems)
    top.unknown((*_names(LeafletSpec), "version"))
    template = top.choice("template", TEMPLATES, "a5-flyer") if "template" in top.data else ""
    if not template:
        top.text("template", None)
        template = "a5-flyer"
    layout = TEMPLATES[template]
    images = tuple(_image(r) for r in top.tables("images"))
    qr = None
    if isinstance(top.data.get("qr"), str):
        qr = QRCode(top.text("qr", None, limit=1000))
    elif (table := top.table("qr")) is not None:
        qr = _qr(table)
    welsh = _welsh(table) if (table := top.table("bilingual_welsh")) else None
    event = _event(table) if (table := top.table("event")) else None
    letter = _letter(table) if (table := top.table("letter")) else None
    slip = _slip(table) if (table := top.table("reply_slip")) else None
    needs_headline = template not in ("a4-letter",)
    spec = LeafletSpec(
        template=template,
        title=top.text("title", None, limit=300),
        election_material=top.flag("election_material"),
        printed_commercially=top.flag("printed_commercially"),
        headline=top.text("headline", None if needs_headline else "", limit=300),
        subheading=top.text("subheading", limit=600),
        body=top.text("body"),
        sides=top.number("sides", layout.sides, layout.sides[0]),
        images=images,
        qr=qr,
        contact=top.text("contact", limit=1000),
        colour=top.choice("colour", PALETTE, "teal"),
        font=top.choice("font", FONTS, "roboto"),
        bilingual_welsh=welsh,
        event=event,
        letter=letter,
        reply_slip=slip,
    )
    if layout.needs and getattr(spec, layout.needs) is None and layout.needs not in top.data:
        what = {
            "letter": "[letter] with at least 'body'",
            "event": "[event] with what, when, where",
        }
        problems.append(f"missing section {what[layout.needs]}: the {template} template needs it")
    if len(images) > 4:
        problems.append(f"'images' lists {len(images)} images; a leaflet takes at most 4")
    if problems:
        raise ValidationError("The leaflet spec has problems: " + "; ".join(problems) + ".")
    return spec


def parse_spec(text: str, *, fmt: Literal["toml", "json"] = "toml") -> LeafletSpec:
    """Read a spec written as TOML or JSON.

    Raises:
        ValidationError: If the text is not TOML/JSON, or a field is missing or wrong.
    """
    try:
        data: object = tomllib.loads(text) if fmt == "toml" else json.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"The leaflet spec is not valid TOML: {exc}.") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"The leaflet spec is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}."
        ) from None
    return spec_from_data(data)


# -- writing -----------------------------------------------------------------


def spec_to_data(spec: LeafletSpec) -> dict[str, Any]:
    """The spec as plain data (what JSON and TOML hold), leaving out defaults."""

    def plain(obj: Any) -> Any:
        out: dict[str, Any] = {}
        for f in fields(obj):
            value = getattr(obj, f.name)
            default = f.default if f.default is not MISSING else None
            if value is None or (value == default and f.name not in ("template", "title")):
                continue
            if isinstance(value, tuple) and value and hasattr(value[0], "__dataclass_fields__"):
                out[f.name] = [plain(v) for v in value]
            elif hasattr(value, "__dataclass_fields__"):
                out[f.name] = plain(value)
            elif isinstance(value, tuple):
                out[f.name] = list(value)
            else:
                out[f.name] = value
        return out

    data: dict[str, Any] = plain(spec)
    return data


def _toml_string(text: str) -> str:
    if (
        "\n" in text
        and "'''" not in text
        and not text.endswith("'")
        and all(ord(ch) >= 32 or ch in "\n\t" for ch in text)
        and "\x7f" not in text
    ):
        return "'''\n" + text + "'''"
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def _toml_table(data: Mapping[str, Any], prefix: str, lines: list[str]) -> None:
    for key, value in data.items():
        if not isinstance(value, dict) and not _is_tables(value):
            lines.append(f"{key} = {_toml_value(value)}")
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            lines.extend(("", f"[{name}]"))
            _toml_table(value, name, lines)
        elif _is_tables(value):
            for item in value:
                lines.extend(("", f"[[{name}]]"))
                _toml_table(item, name, lines)


def spec_to_toml(spec: LeafletSpec) -> str:
    """The spec as a TOML file a volunteer can read, edit and share."""
    lines = [f"# {TEMPLATES[spec.template].label} made with canvass", "version = 1"]
    _toml_table(spec_to_data(spec), "", lines)
    return "\n".join(lines) + "\n"


def spec_to_json(spec: LeafletSpec) -> str:
    """The spec as JSON (the database stores it so)."""
    return json.dumps(spec_to_data(spec), ensure_ascii=False, sort_keys=True)
