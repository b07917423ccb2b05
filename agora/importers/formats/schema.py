"""Field-by-field validation of exported records (pydantic models, strict types).

A wrong type is never guessed at (`"deleted": "no"` is not "deleted", `"url": 42` is not a URL):
the import stops at the first bad field and names it, and nothing is written.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from agora.importers.records import ImportFormatError

Model = TypeVar("Model", bound=BaseModel)


class Record(BaseModel):
    """Strict: a string is not a number or a boolean; unknown fields are ignored."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


def validated(model: type[Model], data: Any, where: str) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ImportFormatError(f"{where}: {describe(error)}") from None


def describe(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    field = ".".join(str(part) for part in first["loc"])
    found = first.get("input")
    shown = f" (found {_short(found)})" if first["type"] != "missing" else ""
    message = f"{first['msg'][:1].lower()}{first['msg'][1:]}{shown}"
    return f"field {field}: {message}" if field else message


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
