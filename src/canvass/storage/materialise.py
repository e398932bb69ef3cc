"""Turning operation values into table rows, and rows back into plain values.

Operation values are JSON types; columns are typed. Dates travel as ISO text
and columns marked ``info={"json": True}`` hold canonical JSON text, so the
conversion here is the only place the two meet, used both when a change is
recorded and when every row is rebuilt from the log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Date, delete, update
from sqlalchemy.orm import Session

from canvass.domain.errors import ValidationError
from canvass.domain.values import Value, canonical_json
from canvass.storage.base import Shared
from canvass.storage.bulk import bulk_insert
from canvass.storage.tables import ENTITIES, SHARED_MODELS

Converter = Callable[[Value], Any]


def model_for(entity: str) -> type[Shared]:
    """The table model of an entity name.

    Raises:
        ValidationError: For an entity canvass does not know.
    """
    try:
        return ENTITIES[entity]
    except KeyError:
        raise ValidationError(f"Unknown kind of record '{entity}'.") from None


def _to_date(value: Value) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("A date must be written as YYYY-MM-DD.")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"'{value}' is not a date (YYYY-MM-DD).") from None


def _to_json_text(value: Value) -> str:
    return value if isinstance(value, str) else canonical_json(value)


def _same(value: Value) -> Any:
    return value


@cache
def converters(entity: str) -> dict[str, Converter]:
    """Field name -> converter from operation value to column value (all fields but id)."""
    model = model_for(entity)
    out: dict[str, Converter] = {}
    for column in model.__table__.columns:
        if column.name == "id":
            continue
        if isinstance(column.type, Date):
            out[column.name] = _to_date
        elif column.info.get("json"):
            out[column.name] = _to_json_text
        else:
            out[column.name] = _same
    return out


@cache
def defaults(entity: str) -> dict[str, Value]:
    """Field defaults of an entity; a field missing here and in the values is required."""
    model = model_for(entity)
    out: dict[str, Value] = {}
    for column in model.__table__.columns:
        if column.name == "id":
            continue
        if column.default is not None and column.default.is_scalar:
            out[column.name] = column.default.arg
        elif column.nullable:
            out[column.name] = None
    return out


def complete_values(entity: str, values: Mapping[str, Value]) -> dict[str, Value]:
    """Fill defaults into a new record's values and check every field is known.

    Raises:
        ValidationError: For an unknown field or a missing required one.
    """
    fields = converters(entity)
    unknown = values.keys() - fields.keys()
    if unknown:
        raise ValidationError(f"A {entity} has no field {', '.join(sorted(unknown))}.")
    out = {**defaults(entity), **values}
    if len(out) != len(fields):
        missing = fields.keys() - out.keys()
        raise ValidationError(f"A {entity} needs {', '.join(sorted(missing))}.")
    return out


@cache
def columns(entity: str) -> tuple[str, ...]:
    """Column order of the row tuples :func:`to_row` returns: id, then the fields."""
    return ("id", *converters(entity))


@cache
def _special(entity: str) -> tuple[tuple[int, Converter], ...]:
    """Positions (in the row tuple) of fields whose column value differs from the op value."""
    return tuple(
        (i, c) for i, c in enumerate(converters(entity).values(), start=1) if c is not _same
    )


def to_row(entity: str, entity_id: str, values: Mapping[str, Value]) -> tuple[Any, ...]:
    """The table row (in :func:`columns` order) of a record from its complete values."""
    fields = converters(entity)
    special = _special(entity)
    if not special:
        return (entity_id, *[values.get(name) for name in fields])
    row: list[Any] = [entity_id, *[values.get(name) for name in fields]]
    for position, converter in special:
        row[position] = converter(row[position])
    return tuple(row)


def insert_rows(session: Session, entity: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert materialised rows (from :func:`to_row`) in one executemany."""
    bulk_insert(session, model_for(entity).__tablename__, columns(entity), rows)


def update_field(session: Session, entity: str, entity_id: str, field: str, value: Value) -> None:
    """Write one field's shown value into its row."""
    conv = converters(entity)
    if field not in conv:
        raise ValidationError(f"A {entity} has no field {field}.")
    model = model_for(entity)
    session.execute(update(model).where(model.id == entity_id).values({field: conv[field](value)}))


def clear_shared_rows(session: Session) -> None:
    """Delete every materialised row, children first (the log is kept)."""
    for model in reversed(SHARED_MODELS):
        session.execute(delete(model))
