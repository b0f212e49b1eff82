from odoo import api, models

from .. import compat

# event: (base of its log sequence, the company setting that sends it, its templates;
# "accepted" shares the dispatch notice)
CUSTOMER_NOTICES = {
    "logged": (1, "itss_notify_customer_logged", "logged"),
    "dispatched": (2, "itss_notify_customer_dispatched", "dispatched"),
    "accepted": (3, "itss_notify_customer_dispatched", "dispatched"),
    "pending": (4, "itss_notify_customer_pending", "pending"),
    "resolved": (5, "itss_notify_customer_resolved", "resolved"),
    "closed": (6, "itss_notify_customer_closed", "closed"),
}
# headers of every notice: auto-responders do not answer it (no mail loops)
NOTICE_HEADERS = repr(
    {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}
)


class HelpdeskTicket(models.Model):
    """The customer is kept informed (000: "服务台当前值班人员负责向用户及时通报事件处理
    情况"): a mail, and where the company sends them and the contact has a mobile a
    text message, when the ticket is logged, dispatched or accepted, put on hold,
    resolved and closed. Each notice is a ``customer`` row of the notification log."""

    _inherit = "helpdesk.ticket"

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        monitoring = self._itss_ref(
            "itss_incident.helpdesk_ticket_channel_monitoring", raise_if_not_found=False
        )
        tickets.filtered(
            lambda t: (
                t.team_id.itss_tier and t.itss_state and t.channel_id != monitoring
            )
        )._itss_notify_customer("logged")
        return tickets

    def _itss_on_state_change(self, before, facts, now):
        res = super()._itss_on_state_change(before, facts, now)
        for ticket in self:
            old, state = before[ticket.id].state, ticket.itss_state
            if not old or old == state:
                continue
            event = {
                "assigned": "dispatched",
                "pending": "pending",
                "resolved": "resolved",
                "closed": "closed",
            }.get(state)
            if state == "in_progress" and old in ("new", "assigned"):
                event = "accepted"
            if state == "closed" and ticket.itss_close_origin == "rejected":
                event = None  # the customer rejected it: the new ticket's page tells
            if event:
                ticket._itss_notify_customer(event)
        return res

    @api.model
    def _itss_sms_number(self, partner):
        """The number a text message to ``partner`` goes to, or False."""
        return compat.mobile(partner)

    def _itss_close_origin_label(self):
        self.ensure_one()
        labels = dict(
            self._fields["itss_close_origin"]._description_selection(self.env)
        )
        return labels.get(self.itss_close_origin, "")

    def _itss_notify_customer(self, event):
        """Send the customer the notice of ``event`` (CUSTOMER_NOTICES), once: by mail
        if the contact has an email, by text message if the company sends them and the
        contact has a mobile. No contact (e.g. an alert's ticket): no notice."""
        base, setting, name = CUSTOMER_NOTICES[event]
        for ticket in self.filtered("partner_id"):
            company = ticket.company_id
            if not company[setting]:
                continue
            partner = ticket.partner_id
            # one notice per event and transition, whatever runs twice
            sequence = base * 100000 + ticket.itss_progress_count
            reason = self.env._(
                "Customer told: %(event)s", event=ticket._itss_notice_labels()[event]
            )
            log = partner.email and ticket._itss_log(
                "customer", None, sequence, "email", reason, partner
            )
            if log:
                template = self._itss_ref(
                    f"itss_incident.mail_template_itss_ticket_{name}"
                )
                mail_id = template.sudo().send_mail(
                    ticket.id, email_values={"headers": NOTICE_HEADERS}
                )
                log._itss_link_queued(mail=mail_id)
            log = (
                company.itss_notify_customer_sms
                and ticket._itss_sms_number(partner)
                and ticket._itss_log("customer", None, sequence, "sms", reason, partner)
            )
            if log:
                message = ticket.sudo()._message_sms_with_template(
                    template_xmlid=f"itss_incident.sms_template_itss_ticket_{name}",
                    partner_ids=partner.ids,
                    put_in_queue=True,
                )
                log._itss_link_queued(message=message)

    def _itss_notice_labels(self):
        return {
            "logged": self.env._("logged"),
            "dispatched": self.env._("dispatched"),
            "accepted": self.env._("accepted"),
            "pending": self.env._("on hold"),
            "resolved": self.env._("resolved"),
            "closed": self.env._("closed"),
        }
