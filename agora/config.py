"""Runtime configuration: environment variables first, then an optional TOML file.

Every setting has an environment variable `AGORA_<NAME>`; `AGORA_CONFIG` may point at a TOML
file whose top-level keys are the same names in lower case (`database_url = "..."`).
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path


@cache
def _toml() -> dict:
    path = os.environ.get("AGORA_CONFIG")
    if not path:
        return {}
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def get(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"AGORA_{name.upper()}")
    if value is not None:
        return value
    value = _toml().get(name.lower())
    return default if value is None else str(value)


def get_bool(name: str, default: bool = False) -> bool:
    value = get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def get_int(name: str, default: int) -> int:
    value = get(name)
    return default if value is None else int(value)


def get_float(name: str, default: float) -> float:
    value = get(name)
    return default if value is None else float(value)


def get_list(name: str, default: list[str]) -> list[str]:
    value = get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    path = Path(get("data_dir", "var") or "var").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
