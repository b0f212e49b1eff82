import json

from psycopg2.errors import SerializationFailure, UniqueViolation
from werkzeug.exceptions import BadRequest, Forbidden

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

MAX_PAYLOAD_BYTES = 1024 * 1024


class ItssAlertController(http.Controller):
    @http.route(
        "/itss/alert/<int:source_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def itss_alert(self, source_id, **kw):
        """Alertmanager (webhook v4) or generic JSON alerts. The token (header
        ``Authorization: Bearer`` only: in a URL, access logs would keep it) is checked
        before the body is read: 403 for a bad token or an unknown source, 400 for a bad
        body; nothing is created then."""
        header = request.httprequest.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else None
        source = request.env["itss.alert.source"].sudo().browse(source_id).exists()
        # sudo: the source is read only to check the token; no data leaves
        if not source or not source.active or not source._itss_check_token(token):
            raise Forbidden()
        length = request.httprequest.content_length
        if length is not None and length > MAX_PAYLOAD_BYTES:
            raise BadRequest("payload too large")
        body = request.httprequest.get_data(cache=True)
        if len(body) > MAX_PAYLOAD_BYTES:
            raise BadRequest("payload too large")
        try:
            payload = json.loads(body or b"null")
            alerts = source._itss_parse(payload)
        except (ValueError, UserError) as error:
            raise BadRequest(f"malformed payload: {error}") from error
        counts = self._itss_ingest(source, alerts)
        return request.make_json_response(counts)

    @staticmethod
    def _itss_ingest(source, alerts, tries=3):
        """Ingest; a concurrent request that created the same alert's ticket first makes
        the index refuse ours, one that moved it first (a burst of the same resolve, or
        of a firing after a flap, on several nodes) fails ours on serialization: either
        has committed by then, so start a new transaction at once, which sees its work,
        and ingest again (Odoo's own retry would wait a random back-off first, the
        worker idle meanwhile: bin/bench --load)."""
        env = source.env
        for attempt in range(tries):
            try:
                with env.cr.savepoint():
                    return source._itss_ingest(alerts)
            except (UniqueViolation, SerializationFailure):
                if attempt == tries - 1:
                    raise
                env.cr.rollback()
                env.invalidate_all(flush=False)
        return {}
