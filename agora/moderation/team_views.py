"""The "Team" page of the moderation workspace: a site admin sees who moderates their sites,
invites people by e-mail, changes roles and removes members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agora.accounts import team
from agora.accounts.models import SiteRole
from agora.errors import AgoraError
from agora.moderation import audit
from agora.moderation.permissions import moderator_required, site_for


@require_http_methods(["GET", "POST"])
@moderator_required
def team_page(request: HttpRequest) -> HttpResponse:
    sites = list(team.administered_sites(request.user).order_by("name"))
    if not sites:
        raise PermissionDenied(_("Only site admins manage teams."))
    if request.method == "POST":
        _act(request)
        return redirect("moderation:team")
    return render(request, "moderation/team.html", {
        "section": "team",
        "teams": [(site, team.members(site)) for site in sites],
        "roles": SiteRole.Role.choices,
    })


def _act(request: HttpRequest) -> None:
    site = site_for(request.user, request.POST.get("site", ""))
    try:
        if request.POST.get("action") == "remove":
            user_id = int(request.POST.get("user", "0") or 0)
            team.remove(request.user, site, user_id)
            audit.log("team.remove", actor=request.user, site=site, before={"user": user_id})
            messages.success(request, _("Removed from the team of %(site)s.") % {"site": site.name})
            return
        email, role = request.POST.get("email", ""), request.POST.get("role", "")
        outcome = team.invite(request.user, site, email, role)
        audit.log(f"team.{outcome}", actor=request.user, site=site, after={"email": email, "role": role})
        text = (_("%(email)s is now %(role)s of %(site)s.") if outcome == "granted"
                else _("Invitation sent to %(email)s."))
        messages.success(request, text % {"email": email, "role": role, "site": site.name})
    except AgoraError as error:
        messages.error(request, error.message)
