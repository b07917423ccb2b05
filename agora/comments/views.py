"""Pages and files outside the JSON API: the embed script and comment permalinks."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from agora.comments import services
from agora.comments.models import Comment
from agora.errors import NotFound

_STATIC = Path(__file__).parent / "static" / "agora"


@cache
def _embed_script() -> bytes:
    return (_STATIC / "embed.js").read_bytes()


@require_GET
def embed_js(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_embed_script(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    """`/c/<id>`: the article page, scrolled to the comment."""
    try:
        comment = services.get_comment(comment_id)
    except NotFound:
        return HttpResponse("No such comment.", status=404, content_type="text/plain")
    if comment.status != Comment.Status.APPROVED:
        return HttpResponse("No such comment.", status=404, content_type="text/plain")
    if not comment.site.owns_url(comment.article.url):
        # Never a redirect off the site's own origins (an article registered elsewhere).
        return HttpResponse("This comment's article is not on its site's own pages.", status=404,
                            content_type="text/plain")
    return HttpResponseRedirect(f"{comment.article.url}#agora-comment-{comment.pk}")
