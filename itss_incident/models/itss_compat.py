from odoo import api, models

from .. import compat


class ItssCompat(models.AbstractModel):
    """The records whose fields differ between Odoo 18.0 and 19.0, written from the
    data files with ``<function model="itss.compat" name="...">`` (see ``compat.py``).
    Private methods: never callable over RPC."""

    _name = "itss.compat"
    _description = "ITSS Series Compatibility"

    @api.model
    def _set_privilege(self, group_xmlids, category_xmlid, name):
        """Put the groups in the role selection of ``category_xmlid`` in the user
        form: their category on 18.0, one privilege of that category on 19.0."""
        groups = self._refs(group_xmlids)
        category = self.env.ref(category_xmlid)
        if not compat.V19:
            groups.write({"category_id": category.id})
            return
        privilege = self.env["res.groups.privilege"]._load_records(
            [
                {
                    "xml_id": "itss_incident.res_groups_privilege_itss",
                    "values": {"name": name, "category_id": category.id},
                    "noupdate": False,
                }
            ]
        )
        groups.write({"privilege_id": privilege.id})

    @api.model
    def _add_users(self, group_xmlid, user_xmlids):
        """Add the users to the group (18.0 ``users``, 19.0 ``user_ids``)."""
        users = self._refs(user_xmlids)
        self.env.ref(group_xmlid).write({compat.USERS: [(4, u.id) for u in users]})

    @api.model
    def _set_groups(self, record_xmlid, group_xmlids):
        """Set the groups of a user, an action or a report (18.0 ``groups_id``, 19.0
        ``group_ids``)."""
        groups = self._refs(group_xmlids)
        self.env.ref(record_xmlid).write({compat.GROUPS: [(6, 0, groups.ids)]})

    @api.model
    def _set_mobile(self, partner_xmlid, number):
        """The mobile number of a partner or a user's partner (18.0 ``mobile``, 19.0
        ``phone``)."""
        record = self.env.ref(partner_xmlid)
        partner = record.partner_id if record._name == "res.users" else record
        partner.write({compat.MOBILE: number})

    @api.model
    def _keep_done(self, activity_type_xmlids):
        """Done activities of these types stay on the record, archived: 18.0's
        ``keep_done``; 19.0 always keeps them (the field is gone)."""
        if not compat.V19:
            self._refs(activity_type_xmlids).write({"keep_done": True})

    def _refs(self, xmlids):
        records = [self.env.ref(xmlid) for xmlid in xmlids]
        result = self.env[records[0]._name] if records else self.env["res.groups"]
        for record in records:
            result |= record
        return result
