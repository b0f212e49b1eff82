from odoo import api, fields, models


class ItssMajorMeeting(models.Model):
    """A review meeting of the recovery team or of the management team."""

    _name = "itss.major.meeting"
    _description = "ITSS Major Incident Meeting"
    _order = "date desc, id desc"

    major_incident_id = fields.Many2one(
        "itss.major.incident", required=True, index=True, ondelete="cascade"
    )
    meeting_type = fields.Selection(
        [
            ("recovery", "Recovery team review"),
            ("management", "Management team review"),
        ],
        string="Type",
        required=True,
        default="recovery",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    attendee_ids = fields.Many2many("res.partner", string="Attendees")
    minutes = fields.Html()
    decisions = fields.Html()
    next_meeting = fields.Datetime()

    @api.depends("meeting_type", "date")
    def _compute_display_name(self):
        types = dict(self._fields["meeting_type"]._description_selection(self.env))
        for meeting in self:
            meeting.display_name = types.get(meeting.meeting_type, "")
