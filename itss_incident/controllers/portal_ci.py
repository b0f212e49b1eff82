import werkzeug

from odoo.http import request

from .portal import ItssHelpdeskTicketController


class ItssCiHelpdeskTicketController(ItssHelpdeskTicketController):
    """The portal's new ticket form offers the customer's own configuration items;
    another customer's item, sent by a crafted form, is refused."""

    def _itss_portal_cis(self):
        """The configuration items the logged-in customer may choose: their
        commercial partner's (the portal record rules say the same)."""
        partner = request.env.user.partner_id.commercial_partner_id
        return request.env["itss.configuration.item"].search(
            [("partner_id", "=", partner.id)]
        )

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        values["itss_cis"] = self._itss_portal_cis()
        return values

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        if kw.get("itss_ci"):
            try:
                item_id = int(kw["itss_ci"])
            except ValueError as error:
                raise werkzeug.exceptions.BadRequest() from error
            item = self._itss_portal_cis().filtered(lambda i: i.id == item_id)
            if not item:
                raise werkzeug.exceptions.BadRequest(
                    request.env._("This configuration item is not one of yours.")
                )
            vals["itss_ci_id"] = item.id
        return vals
