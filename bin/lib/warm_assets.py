# Run by bin/serve through `odoo shell`: build the web asset bundles now, so that the
# first login on a new or upgraded database does not wait for them (about 10 s) and
# no browser is told "the page is out of date" by their generation.
BUNDLES = (
    "web.assets_web",
    "web.assets_frontend",
    "web.assets_frontend_minimal",
    "web.assets_frontend_lazy",
    "web.report_assets_common",
    "web.report_assets_pdf",
)
for name in BUNDLES:
    bundle = env["ir.qweb"]._get_asset_bundle(name)  # noqa: F821 (odoo shell's env)
    bundle.js()
    bundle.css()
# the generation announced itself to browsers that no one has opened yet
env["bus.bus"].sudo().search([("message", "like", "bundle_changed")]).unlink()  # noqa: F821
env.cr.commit()  # noqa: F821
print("web assets built:", ", ".join(BUNDLES))
