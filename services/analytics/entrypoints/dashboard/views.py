"""GET /dashboard/programs/{id}: the program admin's page, opened from a link carrying `?token=`.

A browser address bar cannot send a bearer header, so the page accepts the token once in the query
string, keeps it in an HttpOnly, SameSite=Strict cookie limited to /dashboard, and redirects to the
clean URL (the token does not stay in the address bar, the history's last entry or a printout).
An `Authorization: Bearer` header works too. Roles: program_admin or hr_admin.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from services.analytics.entrypoints.api import READERS, export_of, report_of, unit_of_work
from services.analytics.entrypoints.dashboard.page import page_model
from services.analytics.use_cases import at_risk
from shared.auth import Principal
from shared.errors import DomainError, Forbidden, Unauthorized, status_of

COOKIE = "tandem_dashboard"

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates",
               static_folder="static", static_url_path="/static")


def _verify(token: str) -> Principal:
    principal = current_app.extensions["tandem.auth"].verify(token)
    if not principal.has(*READERS):
        raise Forbidden("the dashboard is for program admins and HR admins")
    return principal


def _caller() -> Principal:
    scheme, _, header_token = request.headers.get("Authorization", "").partition(" ")
    token = header_token.strip() if scheme.lower() == "bearer" else request.cookies.get(COOKIE, "")
    if not token:
        raise Unauthorized("open the dashboard with ?token=<your access token> (see `make token`)")
    return _verify(token)


@bp.get("/programs/<program_id>")
def program_page(program_id: str):
    """The dashboard of one program."""
    token = request.args.get("token")
    if token:
        _verify(token)
        response = redirect(url_for(".program_page", program_id=program_id), code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=request.is_secure,
                            path="/dashboard")
        return response
    _caller()
    report = report_of(program_id)
    model = page_model(report, at_risk.named(unit_of_work(), report["at_risk"]))
    html = render_template("analytics/dashboard.html", **model)
    return html, 200, {"Cache-Control": "no-store", "Content-Security-Policy": CSP}


@bp.get("/programs/<program_id>/export.csv")
def program_export(program_id: str):
    """The CSV export, for the download link on the page (same cookie)."""
    _caller()
    return export_of(program_id)


@bp.errorhandler(DomainError)
def error_page(error: DomainError):
    status = status_of(error)
    return render_template("analytics/error.html", status=status, title=error.title, detail=error.detail), status


# Everything the page uses comes from this origin: no scripts at all, styles from our own file.
CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'"
