from odoo import api, models

from .helpdesk_ticket import OPEN_STATES


class HelpdeskTicket(models.Model):
    """The landing page's queues of the support groups."""

    _inherit = "helpdesk.ticket"

    @api.model
    def _itss_queues(self):
        """The queues of the ITSS landing page: (key, label, help, tone, domain)."""
        open_domain = [("itss_state", "in", OPEN_STATES)]
        not_breached = [
            ("itss_response_breached", "=", False),
            ("itss_resolve_breached", "=", False),
        ]
        return [
            (
                "my_queue",
                self.env._("My queue"),
                self.env._("Open tickets assigned to me"),
                "info",
                open_domain + [("user_id", "=", self.env.uid)],
            ),
            (
                "unassigned",
                self.env._("Unassigned"),
                self.env._("Open tickets without an engineer"),
                "warning",
                open_domain + [("user_id", "=", False)],
            ),
            (
                "breaching_soon",
                self.env._("Breaching soon"),
                self.env._("A warning threshold of the SLA has passed"),
                "warning",
                [
                    ("itss_state", "in", ("new", "assigned", "in_progress")),
                    ("itss_sla_at_risk", "=", True),
                ]
                + not_breached,
            ),
            (
                "breached",
                self.env._("Breached"),
                self.env._("Open tickets past an SLA deadline"),
                "danger",
                open_domain
                + [
                    "|",
                    ("itss_response_breached", "=", True),
                    ("itss_resolve_breached", "=", True),
                ],
            ),
            (
                "pending",
                self.env._("Pending"),
                self.env._("Waiting for a vendor, the customer..."),
                "muted",
                [("itss_state", "=", "pending")],
            ),
            (
                "resolved",
                self.env._("Awaiting confirmation"),
                self.env._("Resolved, to confirm with the customer and close"),
                "info",
                [("itss_state", "=", "resolved")],
            ),
            (
                "p1_p2",
                self.env._("P1 / P2 open"),
                self.env._("Critical and high priority"),
                "danger",
                open_domain + [("itss_priority", "in", ("1", "2"))],
            ),
        ]

    @api.model
    def itss_queue_counts(self):
        """Counts of the landing page's queues for the current user, each with the
        action that opens its list (the major incident addon adds its own)."""
        base = self.env["ir.actions.actions"]._for_xml_id(
            "itss_incident.helpdesk_ticket_action_itss"
        )
        itss = [("itss_tier", "!=", False)]
        result = []
        for key, label, help_text, tone, domain in self._itss_queues():
            domain = itss + domain
            action = dict(
                base,
                name=label,
                display_name=label,
                help=False,
                domain=domain,
                context={},
                views=[(False, "list"), (False, "kanban"), (False, "form")],
                view_mode="list,kanban,form",
            )
            action.pop("id", None)
            action.pop("path", None)
            result.append(
                {
                    "key": key,
                    "label": label,
                    "help": help_text,
                    "tone": tone,
                    "count": self.search_count(domain),
                    "action": action,
                }
            )
        return result
