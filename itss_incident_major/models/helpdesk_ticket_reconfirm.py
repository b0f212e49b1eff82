from odoo import models

# states in which a major incident is still open
MAJOR_OPEN_STATES = ("declared", "recovering", "resolved")


class HelpdeskTicket(models.Model):
    """The urgent re-confirmation (001 §100.5) and the major incident process: the
    urgent handling of 001 §101 (emergency team, meetings, emergency plan, vendors,
    aftermath) is the major incident; a priority lowered at the re-confirmation
    withdraws the major incident the system declared by itself while nobody has
    worked on it, else the incident manager hears that it remains open."""

    _inherit = "helpdesk.ticket"

    def _itss_start_urgent_process(self, note=None):
        """Where the company runs the major incident process (its major priority is
        set), the first line engineer's "cannot resolve it alone" declares the major
        incident of the ticket, or tells the open one."""
        self.ensure_one()
        if self._itss_major_threshold() == "0":
            return super()._itss_start_urgent_process(note)
        why = self.env._(
            "Urgent re-confirmation: the first line engineer cannot resolve ticket "
            "%(ticket)s alone.",
            ticket=self.display_name,
        )
        if note:
            why = f"{why} {note}"
        incident = self.itss_major_incident_id
        if not incident:
            self._itss_declare_major(reason=why)
            return None
        if incident.state in ("declared", "recovering"):
            # sudo: the engineer's answer is part of the major incident's record,
            # which they may not read
            incident.sudo().message_post(body=why, subtype_xmlid="mail.mt_note")
            return None
        return super()._itss_start_urgent_process(note)

    def _itss_on_priority_lowered(self, old_priority, note=None):
        """The major incident of a ticket no longer of the major priority: withdrawn
        when the system declared it and nobody has worked on it yet; else its
        managers and the incident manager are told that it remains open. A ticket
        still urgent whose engineer needs help keeps it: it is its urgent handling."""
        res = super()._itss_on_priority_lowered(old_priority, note)
        labels = dict(self._fields["itss_priority"]._description_selection(self.env))
        for ticket in self:
            # sudo: the re-confirmation (by the assignee or an incident manager,
            # checked by action_itss_reconfirm) decides; the major incident's plans,
            # statements and meetings are not the engineer's to read
            incident = ticket.itss_major_incident_id.sudo()
            if (
                not incident
                or incident.state not in MAJOR_OPEN_STATES
                or ticket._itss_is_major_priority()
                or (ticket._itss_is_urgent() and not ticket.itss_can_handle_alone)
            ):
                continue
            values = {
                "ticket": ticket.display_name,
                "old": labels.get(old_priority, old_priority),
                "new": labels.get(ticket.itss_priority, ticket.itss_priority),
            }
            team = ticket.team_id
            if incident._itss_withdrawable():
                reason = self.env._(
                    "The priority of ticket %(ticket)s was lowered from %(old)s to "
                    "%(new)s at the urgent re-confirmation by %(user)s.",
                    user=self.env.user.name,
                    **values,
                )
                if note:
                    reason = f"{reason} {note}"
                people = (
                    team.itss_incident_manager_id.partner_id
                    | incident.manager_ids.partner_id
                    | incident.management_partner_ids
                )
                incident._itss_withdraw(reason)
                ticket._itss_notify(
                    "major_withdrawn",
                    None,
                    incident.id,
                    "email",
                    people,
                    self.env._(
                        "Major incident %(number)s withdrawn: priority lowered to "
                        "%(new)s",
                        number=incident.number,
                        new=values["new"],
                    ),
                )
                ticket.message_post(
                    body=self.env._(
                        "Major incident %(number)s withdrawn: %(reason)s",
                        number=incident.number,
                        reason=reason,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            managers = team.itss_incident_manager_id | incident.manager_ids
            ticket._itss_notify(
                "major_kept",
                None,
                incident.id,
                "email",
                managers,
                self.env._(
                    "Major incident %(number)s remains open, priority of its ticket "
                    "lowered to %(new)s",
                    number=incident.number,
                    new=values["new"],
                ),
            )
            incident.message_post(
                body=self.env._(
                    "The priority of ticket %(ticket)s was lowered from %(old)s to "
                    "%(new)s at the urgent re-confirmation; this major incident "
                    "remains open (%(why)s): its managers decide whether it still is "
                    "one.",
                    why=incident._itss_kept_reason(),
                    **values,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return res
