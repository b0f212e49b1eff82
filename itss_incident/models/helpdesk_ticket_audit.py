from odoo import models


class HelpdeskTicket(models.Model):
    """What the audit record (reports/helpdesk_ticket_audit_templates.xml) shows of a
    ticket's history."""

    _inherit = "helpdesk.ticket"

    def _itss_audit_timeline(self):
        """The ticket's states with their times: its logging, then each stage change
        as tracked in the chatter, oldest first, as (date, stage, author) tuples."""
        self.ensure_one()
        field = self.env["ir.model.fields"]._get("helpdesk.ticket", "stage_id")
        # the tracking of a ticket the user may read (checked by the report's
        # rendering), read in full: tracking values are for the system's managers
        values = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", field.id),
                    ("mail_message_id.model", "=", "helpdesk.ticket"),
                    ("mail_message_id.res_id", "=", self.id),
                ],
                order="id",
            )
        )
        timeline = []
        first = values[:1]
        timeline.append(
            (
                self.itss_logged_date or self.create_date,
                first.old_value_char if first else self.stage_id.name,
                self.create_uid.name,
            )
        )
        for value in values:
            message = value.mail_message_id
            timeline.append(
                (message.date, value.new_value_char, message.author_id.name or "")
            )
        return timeline
