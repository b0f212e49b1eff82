from datetime import datetime
from urllib.parse import quote

import pytz
import werkzeug

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

# The customer's answers in plain language, mapped to impact and urgency.
PEOPLE_TO_IMPACT = {"me": "4", "team": "3", "department": "2", "company": "1"}
WORK_TO_URGENCY = {"fine": "4", "slowed": "3", "blocked": "2", "stopped": "1"}
# an <input type="datetime-local"> value, to the minute
PORTAL_MOMENT = "%Y-%m-%dT%H:%M"


class ItssHelpdeskTicketController(HelpdeskTicketController):
    @http.route("/ticket/close", type="http", auth="user", methods=["POST"], csrf=True)
    def support_ticket_close(self, **kw):
        """helpdesk_mgmt's close button, made safe: POST only, the caller must have
        access to the ticket, and ITSS tickets close through confirmation only."""
        try:
            ticket_id = int(kw.get("ticket_id") or 0)
            stage_id = int(kw.get("stage_id") or 0)
        except ValueError as error:
            raise werkzeug.exceptions.BadRequest() from error
        try:
            ticket = CustomerPortalHelpdesk()._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=kw.get("access_token")
            )
        except (AccessError, MissingError) as error:
            raise werkzeug.exceptions.Forbidden() from error
        stage = request.env["helpdesk.ticket.stage"].sudo().browse(stage_id).exists()
        # the access check passed: close with the rights of the portal flow
        if (
            stage.close_from_portal
            and not ticket.team_id.itss_tier
            and stage in ticket.team_id._get_applicable_stages()
        ):
            ticket.stage_id = stage
        return werkzeug.utils.redirect(f"/my/ticket/{ticket.id}")

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        values["itss_ask_impact"] = True
        # "When did it start?" offers no moment after now (the customer's time zone)
        values["itss_occurred_max"] = (
            datetime.now(pytz.utc).astimezone(self._itss_tz()).strftime(PORTAL_MOMENT)
        )
        return values

    def _itss_tz(self):
        """The customer's time zone: theirs, else their company's."""
        user = request.env.user
        return pytz.timezone(user.tz or user.company_id.partner_id.tz or "UTC")

    def _itss_parse_occurred(self, value):
        """The answer to "When did it start?" (the customer's local time) in UTC, or
        None when left empty."""
        if not value:
            return None
        try:
            moment = datetime.strptime(value[:16], PORTAL_MOMENT)
        except ValueError as error:
            raise UserError(
                request.env._(
                    "When did it start: %(value)s is not a date and time.",
                    value=value,
                )
            ) from error
        local = self._itss_tz().localize(moment)
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        if kw.get("itss_people") in PEOPLE_TO_IMPACT:
            vals["itss_impact"] = PEOPLE_TO_IMPACT[kw["itss_people"]]
        if kw.get("itss_work") in WORK_TO_URGENCY:
            urgency = WORK_TO_URGENCY[kw["itss_work"]]
            partner = request.env.user.partner_id.commercial_partner_id
            # a VIP customer keeps at least the high urgency it has by default
            if partner.itss_vip and urgency in ("3", "4"):
                urgency = "2"
            vals["itss_urgency"] = urgency
        occurred = self._itss_parse_occurred(kw.get("itss_occurred"))
        if occurred:
            # after the logging, the ticket refuses it with a clear message
            vals["itss_occurred_date"] = occurred
        return vals


# Portal ticket list filters by lifecycle, beside helpdesk_mgmt's per-stage filters.
PORTAL_STATE_FILTERS = {
    "itss_open": ("new", "assigned", "in_progress", "pending"),
    "itss_resolved": ("resolved",),
    "itss_closed": ("closed", "cancelled"),
}


class ItssCustomerPortal(CustomerPortalHelpdesk):
    @http.route()
    def portal_my_tickets(self, filterby=None, **kw):
        """helpdesk_mgmt's list with three more filters: open, resolved, closed. Its
        route builds the filters itself, so the chosen one travels in the context to
        the ticket search (``_search``) and the labels are added to the page."""
        states = PORTAL_STATE_FILTERS.get(filterby)
        if states:
            request.update_context(itss_portal_states=states)
        response = super().portal_my_tickets(
            filterby=None if states else filterby, **kw
        )
        qcontext = getattr(response, "qcontext", None)
        if qcontext is not None and "searchbar_filters" in qcontext:
            labels = {
                "all": request.env._("All"),
                "itss_open": request.env._("Open"),
                "itss_resolved": request.env._("Resolved"),
                "itss_closed": request.env._("Closed"),
            }
            filters = dict(qcontext["searchbar_filters"])
            for key, label in labels.items():
                filters[key] = {"label": label, "domain": []}
            qcontext["searchbar_filters"] = filters
            if states:
                qcontext["filterby"] = filterby
        return response

    # helpdesk_mgmt's labels of the portal list are its own code terms: they translate
    # only from helpdesk_mgmt's folder, which ships no zh_CN. Relabelled here with our
    # own terms (same English), which translate from itss_incident's zh_CN.po.
    def _ticket_get_searchbar_sortings(self):
        values = super()._ticket_get_searchbar_sortings()
        labels = {
            "date": request.env._("Newest"),
            "name": request.env._("Title"),
            "stage": request.env._("Stage"),
            "update": request.env._("Last Stage Update"),
        }
        for key, label in labels.items():
            if key in values:
                values[key] = dict(values[key], label=label)
        return values

    def _ticket_get_searchbar_groupby(self):
        values = super()._ticket_get_searchbar_groupby()
        labels = {
            "none": request.env._("None"),
            "category": request.env._("Category"),
            "stage": request.env._("Stage"),
        }
        for key, label in labels.items():
            if key in values:
                values[key] = dict(values[key], label=label)
        return values

    def _ticket_get_searchbar_inputs(self):
        values = super()._ticket_get_searchbar_inputs()
        labels = {
            "all": request.env._("Search in All"),
            "number": request.env._("Search in Number"),
            "name": request.env._("Search in Title"),
        }
        for key, label in labels.items():
            if key in values:
                values[key] = dict(values[key], label=label)
        return values

    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        """helpdesk_mgmt's ticket page, except that a ticket the visitor may not see
        (another customer's, a wrong token, none with this id) answers 404 "not found"
        instead of a silent redirect to /my; a visitor not logged in is asked to log in
        and comes back to the ticket. Tickets of teams without a tier keep
        helpdesk_mgmt's redirect."""
        try:
            self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError):
            # sudo after the refused check, only to tell a plain helpdesk ticket (its
            # own answer) from an ITSS ticket or none; nothing of it is shown
            ticket_sudo = (
                request.env["helpdesk.ticket"].sudo().browse(ticket_id).exists()
            )
            if ticket_sudo and not ticket_sudo.team_id.itss_tier:
                return super().portal_my_ticket(
                    ticket_id, access_token=access_token, **kw
                )
            if request.env.user._is_public() and not access_token:
                return request.redirect(
                    "/web/login?redirect=" + quote(f"/my/ticket/{ticket_id}", safe="")
                )
            return request.render(
                "itss_incident.portal_ticket_not_found",
                {"page_name": "ticket"},
                status=404,
            )
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        if ticket.team_id.itss_tier:
            values["closed_stages"] = request.env["helpdesk.ticket.stage"]
        # the thank-you after the customer confirmed the resolution
        # (portal_itss_confirm)
        values["itss_thanks"] = (
            kwargs.get("itss_confirmed") == "1"
            and ticket.itss_state == "closed"
            and ticket.itss_close_origin == "customer"
        )
        satisfaction = ticket._fields["itss_satisfaction"]
        values["itss_satisfaction"] = satisfaction._description_selection(request.env)
        return values

    def _itss_ticket(self, ticket_id, access_token):
        try:
            return self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError) as error:
            raise werkzeug.exceptions.Forbidden() from error

    @http.route(
        "/my/ticket/<int:ticket_id>/itss/confirm",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        csrf=True,
    )
    def portal_itss_confirm(
        self, ticket_id, access_token=None, satisfaction=None, comment=None, **kw
    ):
        ticket_sudo = self._itss_ticket(ticket_id, access_token)
        try:
            ticket_sudo.action_itss_confirm_resolution(
                satisfaction=satisfaction or None,
                comment=(comment or "").strip() or None,
            )
        except UserError as error:
            raise werkzeug.exceptions.BadRequest(str(error)) from error
        return request.redirect(
            ticket_sudo.get_portal_url(query_string="&itss_confirmed=1")
        )

    @http.route(
        "/my/ticket/<int:ticket_id>/itss/rate",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        csrf=True,
    )
    def portal_itss_rate(
        self, ticket_id, access_token=None, satisfaction=None, comment=None, **kw
    ):
        ticket_sudo = self._itss_ticket(ticket_id, access_token)
        try:
            ticket_sudo.action_itss_rate(
                satisfaction, comment=(comment or "").strip() or None
            )
        except UserError as error:
            raise werkzeug.exceptions.BadRequest(str(error)) from error
        return request.redirect(
            ticket_sudo.get_portal_url(query_string="&itss_rated=1")
        )

    @http.route(
        "/my/ticket/<int:ticket_id>/itss/reject",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        csrf=True,
    )
    def portal_itss_reject(self, ticket_id, access_token=None, comment=None, **kw):
        ticket_sudo = self._itss_ticket(ticket_id, access_token)
        try:
            new = ticket_sudo.action_itss_reject_resolution(
                comment=(comment or "").strip() or None
            )
        except UserError as error:
            raise werkzeug.exceptions.BadRequest(str(error)) from error
        return request.redirect(new.get_portal_url())
