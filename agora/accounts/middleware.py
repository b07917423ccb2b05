"""Who may frame Agora's own pages.

Reader-facing pages (the demo newspaper, permalinks) may be framed by Agora itself and by
the origins some site allows; the admin, the moderation workspace and the account pages by
nobody (clickjacking of privileged actions).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from agora.comments.cors import allowed_origins

PRIVATE_PREFIXES = ("/admin/", "/moderate/", "/accounts/")
# Only well-formed origins reach the header (a stray ';' would start a new directive).
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


class FrameAncestorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES):
            response._csp_replace = {"frame-ancestors": ["'none'"]}
        elif "text/html" in response.get("Content-Type", ""):
            origins = sorted(o for o in allowed_origins() if _ORIGIN.match(o))
            response._csp_replace = {"frame-ancestors": ["'self'", *origins]}
            if origins:
                # X-Frame-Options cannot list origins; browsers that know CSP use frame-ancestors.
                response.xframe_options_exempt = True
        return response
