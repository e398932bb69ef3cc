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

from sqlalchemy import BigInteger, Boolean, ColumnElement, Date, Integer, delete, update
from sqlalchemy.orm import Session

from canvass.domain.errors import ValidationError
from canvass.domain.values import MAX_STRING, Value, canonical_json, check_value, clean_string
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


Checker = Callable[[Value], Value]
_INT32 = 2**31
_INT64 = 2**63


def _checker(entity: str, column: ColumnElement[Any]) -> Checker:
    """A function that validates one field's value against its column.

    Every engine must accept what one accepts: SQLite would store a 250-
    character surname in a 200-character column or text in an integer column,
    and PostgreSQL would then refuse the same operation from a merged file.
    """
    label = f"The {column.name.replace('_', ' ')} of a {entity.replace('_', ' ')}"
    nullable = bool(column.nullable)
    kind = column.type

    def refuse(what: str) -> ValidationError:
        return ValidationError(f"{label} must be {what}.")

    if column.info.get("json"):

        def check_json(value: Value) -> Value:
            if value is None and not nullable:
                raise refuse("given")
            return check_value(value, field=label)

        return check_json
    if isinstance(kind, Date):

        def check_date(value: Value) -> Value:
            if value is None:
                if nullable:
                    return None
                raise refuse("a date (YYYY-MM-DD)")
            _to_date(value)
            return value

        return check_date
    if isinstance(kind, Boolean):

        def check_bool(value: Value) -> Value:
            if value.__class__ is bool or (value is None and nullable):
                return value
            raise refuse("yes or no (true/false)")

        return check_bool
    if isinstance(kind, Integer):
        limit = _INT64 if isinstance(kind, BigInteger) else _INT32

        def check_int(value: Value) -> Value:
            if isinstance(value, int) and value.__class__ is int and -limit <= value < limit:
                return value
            if value is None and nullable:
                return None
            raise refuse(f"a whole number between {-limit:,} and {limit - 1:,}")

        return check_int
    length = getattr(kind, "length", None) or MAX_STRING

    def check_text(value: Value) -> Value:
        if isinstance(value, str):
            value = clean_string(value, field=label)
            if len(value) > length:
                raise refuse(f"at most {length:,} characters long")
            return value
        if value is None and nullable:
            return None
        raise refuse("text")

    return check_text


@cache
def checkers(entity: str) -> dict[str, Checker]:
    """Field name -> validator of operation values for that field (all fields but id)."""
    model = model_for(entity)
    return {c.name: _checker(entity, c) for c in model.__table__.columns if c.name != "id"}


def check_field(entity: str, field: str, value: object) -> Value:
    """Validate one field's new value; returns it normalised.

    Raises:
        ValidationError: For an unknown field or a value its column cannot hold.
    """
    checker = checkers(entity).get(field)
    if checker is None:
        raise ValidationError(f"A {entity.replace('_', ' ')} has no field {field}.")
    return checker(value)  # type: ignore[arg-type]


def prepare(
    entity: str, entity_id: str, values: Mapping[str, object]
) -> tuple[dict[str, Value], tuple[Any, ...]]:
    """Validate a new record's values, fill defaults, and build its table row.

    One pass over the fields: this runs for every elector a register import
    records.

    Returns:
        The complete operation values and the row (in :func:`columns` order).

    Raises:
        ValidationError: For an unknown or missing field, or a value its column
            cannot hold.
    """
    fields = checkers(entity)
    unknown = values.keys() - fields.keys()
    if unknown:
        raise ValidationError(
            f"A {entity.replace('_', ' ')} has no field {', '.join(sorted(unknown))}."
        )
    defaults_ = defaults(entity)
    complete: dict[str, Value] = {}
    for name, checker in fields.items():
        if name in values:
            complete[name] = checker(values[name])  # type: ignore[arg-type]
        elif name in defaults_:
            complete[name] = defaults_[name]
        else:
            missing = sorted(n for n in fields if n not in values and n not in defaults_)
            raise ValidationError(f"A {entity.replace('_', ' ')} needs {', '.join(missing)}.")
    return complete, to_row(entity, entity_id, complete)


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


def clear_shared_rows(session: Session, *, keep: tuple[str, ...] = ()) -> None:
    """Delete every materialised row, children first (the log is kept).

    Args:
        session: The write transaction.
        keep: Entities whose rows stay (erasure tombstones: the records they
            stand for have no operations left to rebuild them from).
    """
    for model in reversed(SHARED_MODELS):
        if model.__entity__ not in keep:
            session.execute(delete(model))
