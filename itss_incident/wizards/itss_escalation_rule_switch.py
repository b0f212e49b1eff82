from odoo import api, fields, models

from ..models.itss_escalation_rule import RULE_SET_SELECTION
from ..models.itss_priority_matrix import PRIORITY_SELECTION
from ..tools import toast


class ItssEscalationRuleSwitch(models.TransientModel):
    """Let a priority follow the other escalation timetable (003 or 000) in one step:
    that timetable's rules of the priority become active, the others archived."""

    _name = "itss.escalation.rule.switch"
    _description = "Switch the ITSS escalation timetable of a priority"

    def _selected_rules(self):
        if self.env.context.get("active_model") != "itss.escalation.rule":
            return self.env["itss.escalation.rule"]
        return self.env["itss.escalation.rule"].browse(
            self.env.context.get("active_ids") or []
        )

    def _default_priority(self):
        priorities = set(self._selected_rules().mapped("priority"))
        return priorities.pop() if len(priorities) == 1 else "1"

    def _default_rule_set(self):
        sets = set(self._selected_rules().mapped("rule_set"))
        return "003" if sets == {"000"} else "000"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    priority = fields.Selection(
        PRIORITY_SELECTION, required=True, default=_default_priority
    )
    rule_set = fields.Selection(
        RULE_SET_SELECTION,
        string="Timetable",
        required=True,
        default=_default_rule_set,
    )
    summary = fields.Char(string="What Changes", compute="_compute_summary")

    @api.depends("company_id", "priority", "rule_set")
    def _compute_summary(self):
        Rule = self.env["itss.escalation.rule"].with_context(active_test=False)
        for wizard in self:
            rules = Rule.search(
                [
                    ("company_id", "=", wizard.company_id.id),
                    ("priority", "=", wizard.priority),
                ]
            )
            chosen = rules.filtered(lambda r, w=wizard: r.rule_set == w.rule_set)
            wizard.summary = self.env._(
                "%(on)s rules of this timetable become active; %(off)s rules of "
                "the other timetable are archived.",
                on=len(chosen.filtered(lambda r: not r.active)),
                off=len((rules - chosen).filtered("active")),
            )

    def action_switch(self):
        self.ensure_one()
        self.env["itss.escalation.rule"]._itss_use_rule_set(
            self.company_id, self.priority, self.rule_set
        )
        sets = dict(self._fields["rule_set"]._description_selection(self.env))
        return toast(
            self.env._(
                "P%(priority)s follows the timetable %(set)s now.",
                priority=self.priority,
                set=sets[self.rule_set],
            )
        )
