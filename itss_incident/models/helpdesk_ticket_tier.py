from odoo import api, models


def _tier(team):
    """A team's support tier as a number; 0 without one."""
    return int(team.itss_tier or 0)


class HelpdeskTicket(models.Model):
    """Moves between support tiers (DESIGN.md, "First-contact resolution"): moving a
    ticket to a team of a higher tier is a functional escalation whatever the path
    (the button, the form's team field, the kanban, RPC, routing at logging); it
    counts in ``itss_escalation_count`` and ends first-contact resolution. A move to
    a lower or the same tier is none. Imported after helpdesk_ticket_escalation (its
    hook runs first and marks the moves the escalation concern counts)."""

    _inherit = "helpdesk.ticket"

    @api.model
    def _itss_logging_vals(self, vals, team, company):
        """Routed at logging to a team above tier 1 (category, alert source, the
        logging user's choice): escalated once. The first assignment is no
        reassignment (DESIGN.md, "Reassignment and escalation counting")."""
        vals = super()._itss_logging_vals(vals, team, company)
        if _tier(team) > 1:
            vals.setdefault("itss_escalation_count", 1)
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        # a team helpdesk_mgmt gave by its own defaults (the assigned user's team),
        # which the logging values did not see
        routed = tickets.filtered(
            lambda t: _tier(t.team_id) > 1 and not t.itss_escalation_count
        )
        if routed:
            routed._itss_set_facts({"itss_escalation_count": 1})
        return tickets

    def _itss_on_state_change(self, before, facts, now):
        """A team change to a higher tier is marked a functional escalation for the
        escalation concern, which counts it (and as a reassignment) as it counts the
        button's. A ticket entering its first ITSS team above tier 1 (from no team or
        a team without a tier) is routed: escalated once, not reassigned."""
        for ticket in self:
            old = before[ticket.id]
            if old.escalated or ticket.team_id == old.team:
                continue
            if _tier(old.team) and _tier(ticket.team_id) > _tier(old.team):
                before[ticket.id] = old._replace(escalated=True)
            elif not _tier(old.team) and _tier(ticket.team_id) > 1:
                facts.setdefault(ticket.id, {})["itss_escalation_count"] = (
                    ticket.itss_escalation_count + 1
                )
        return super()._itss_on_state_change(before, facts, now)
