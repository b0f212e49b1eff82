from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    itss_major_incident_id = fields.Many2one(
        "itss.major.incident",
        string="Major Incident",
        index="btree_not_null",
        copy=False,
        tracking=True,
    )

    def _itss_get_post_close_fields(self):
        return super()._itss_get_post_close_fields() | {"itss_major_incident_id"}

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._itss_check_major()
        return tickets

    def write(self, vals):
        result = super().write(vals)
        if {"itss_priority", "itss_impact", "itss_urgency", "team_id"} & set(vals):
            self._itss_check_major()
        return result

    def _itss_is_major_priority(self):
        threshold = self._itss_major_threshold()
        return bool(
            self.team_id.itss_tier
            and threshold != "0"
            and self.itss_priority
            and self.itss_priority <= threshold
        )

    def _itss_check_major(self):
        """A ticket reaching a major priority declares a major incident (once)."""
        for ticket in self:
            if (
                not ticket.itss_major_incident_id
                and ticket.itss_state not in ("resolved", "closed", "cancelled")
                and ticket._itss_is_major_priority()
            ):
                labels = dict(
                    ticket._fields["itss_priority"]._description_selection(self.env)
                )
                ticket.sudo()._itss_declare_major(
                    reason=self.env._(
                        "Priority %(priority)s reached.",
                        priority=labels[ticket.itss_priority],
                    ),
                    auto=True,
                )

    @api.model
    def itss_queue_counts(self):
        """The landing page also counts the open major incidents the user may read."""
        result = super().itss_queue_counts()
        Major = self.env["itss.major.incident"]
        if not Major.has_access("read"):
            return result
        domain = [("state", "in", ("declared", "recovering", "resolved"))]
        action = self.env["ir.actions.actions"]._for_xml_id(
            "itss_incident_major.itss_major_incident_action"
        )
        label = self.env._("Open major incidents")
        action.update(name=label, display_name=label, domain=domain, help=False)
        action.pop("id", None)
        action.pop("path", None)
        result.append(
            {
                "key": "major_incidents",
                "label": label,
                "help": self.env._("Declared, recovering or resolved, not yet closed"),
                "tone": "danger",
                "count": Major.search_count(domain),
                "action": action,
            }
        )
        return result

    def action_itss_open_major_declare(self):
        """The dialog that declares a major incident for this ticket, or joins one (the
        form's gear menu)."""
        self.ensure_one()
        if not self.itss_tier or self.itss_state not in (
            "new",
            "assigned",
            "in_progress",
            "pending",
        ):
            raise UserError(
                self.env._("Only an open ITSS ticket becomes a major incident.")
            )
        if self.itss_major_incident_id:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is already part of major incident %(major)s.",
                    ticket=self.display_name,
                    major=self.itss_major_incident_id.display_name,
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "itss_incident_major.itss_major_declare_action"
        )
        action["context"] = {"default_ticket_id": self.id}
        return action

    def action_itss_declare_major(self, reason=None, emergency_plan=None):
        """Declare a major incident for this ticket and notify the incident manager and
        the management (email, SMS, call). The emergency plan of the ticket's system is
        proposed unless ``emergency_plan`` (an ``itss.emergency.plan``) is given."""
        incident = self._itss_declare_major(reason, emergency_plan)
        return {
            "type": "ir.actions.act_window",
            "res_model": "itss.major.incident",
            "res_id": incident.id,
            "view_mode": "form",
        }

    def _itss_declare_major(self, reason=None, emergency_plan=None, auto=False):
        """Declare the major incident of ``action_itss_declare_major`` and return it;
        ``auto``: declared by the system (the ticket reached the major priority), not
        by a person."""
        self.ensure_one()
        if self.itss_major_incident_id:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s belongs to a major incident already.",
                    ticket=self.display_name,
                )
            )
        team = self.team_id
        managers = team.itss_incident_manager_id
        incident = (
            self.env["itss.major.incident"]
            .sudo()
            .create(
                {
                    "name": self.name,
                    "company_id": self.company_id.id,
                    "ticket_id": self.id,
                    "declared_reason": reason,
                    "auto_declared": auto,
                    "manager_ids": [(6, 0, managers.ids)],
                    "recovery_team_ids": [(6, 0, self.user_id.ids)],
                    "management_partner_ids": [
                        (
                            6,
                            0,
                            (
                                team.itss_director_id | team.itss_leader_id
                            ).partner_id.ids,
                        )
                    ],
                    "impact": self.description,
                    "emergency_plan_id": (
                        emergency_plan
                        if emergency_plan is not None
                        else self.env["itss.emergency.plan"]
                        .sudo()
                        ._itss_find_for_ticket(self)
                    ).id,
                }
            )
        )
        people = (
            team.itss_incident_manager_id | team.itss_director_id | team.itss_leader_id
        )
        why = self.env._("Major incident declared: %(number)s", number=incident.number)
        for channel in ("email", "sms", "call"):
            self._itss_notify("communication", None, 0, channel, people, why)
        self.message_post(
            body=Markup("%s<br/>%s") % (why, reason or ""), subtype_xmlid="mail.mt_note"
        )
        return incident

    def _itss_check_transition(self, stage, vals):
        res = super()._itss_check_transition(stage, vals)
        if stage.itss_state == "closed":
            for ticket in self:
                incident = ticket.itss_major_incident_id
                if incident and incident.state not in ("closed", "cancelled"):
                    raise UserError(
                        self.env._(
                            "Ticket %(ticket)s cannot close while its major incident "
                            "%(incident)s is open.",
                            ticket=ticket.display_name,
                            incident=incident.number,
                        )
                    )
        return res

    def _itss_notify_communication(self, update, line):
        """One statement to one audience through its channel, logged once."""
        self.ensure_one()
        position = update.line_ids.ids.index(line.id) + 1
        sequence = update.id * 1000 + position
        channel = {"email": "email", "sms": "sms", "phone": "call", "portal": "portal"}[
            line.channel
        ]
        if line.channel == "portal":
            customers = (
                line.contact_ids or update.major_incident_id.ticket_ids.partner_id
            )
            if not self._itss_log(
                "communication", None, sequence, channel, update.name, customers
            ):
                return
            for ticket in update.major_incident_id.ticket_ids:
                ticket.message_post(
                    body=update.body,
                    subject=update.name,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            return
        recipients = line.contact_ids
        if line.channel == "phone":
            # the approver calls the contacts
            if self._itss_log(
                "communication", None, sequence, channel, update.name, recipients
            ):
                self.activity_schedule(
                    "mail.mail_activity_data_call",
                    user_id=line.approver_id.id,
                    summary=self.env._(
                        "Call %(who)s: %(subject)s",
                        who=", ".join(recipients.mapped("name")),
                        subject=update.name,
                    ),
                )
            return
        self._itss_notify(
            "communication",
            None,
            sequence,
            channel,
            recipients,
            update.name,
            body=update.body,
        )
