"""E-mail settings from `AGORA_EMAIL_URL` or `AGORA_SMTP_*` (pure: imported by settings).

    AGORA_EMAIL_URL=smtp://user:password@mail.example:587?tls=1     (STARTTLS)
    AGORA_EMAIL_URL=smtps://user:password@mail.example:465          (implicit TLS)
    AGORA_EMAIL_URL=console://                                      (print messages)
    AGORA_EMAIL_URL=file:///var/lib/agora/mail                      (one file per message)
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def from_url(url: str) -> dict[str, object]:
    """Django EMAIL_* settings for an e-mail URL."""
    parts = urlsplit(url)
    if parts.scheme not in _BACKENDS:
        known = ", ".join(sorted(_BACKENDS))
        raise ValueError(f"AGORA_EMAIL_URL scheme '{parts.scheme}' is unknown (use one of {known})")
    result: dict[str, object] = {"EMAIL_BACKEND": _BACKENDS[parts.scheme]}
    if parts.scheme == "file":
        result["EMAIL_FILE_PATH"] = unquote(parts.path)
    if parts.scheme in {"smtp", "smtps"}:
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        result.update({
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": query.get("tls", "0").lower() in {"1", "true", "yes"},
            "EMAIL_TIMEOUT": int(query.get("timeout", "10")),
        })
    return result
