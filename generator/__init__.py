"""部门预算公开 — turns YAML budget line items into the bilingual disclosure (HTML, PDF, data).

Pipeline: source (read YAML) → validate → ledger/tables/figures (compute) → narrative →
checks/pipeline (reconcile) → plugin (Pelican: HTML), pdf (WeasyPrint), readback (re-check
what was rendered). `generator.pipeline.load_content()` is the Python API.
"""


def register():
    """Pelican plugin entry point (PLUGINS = ["generator"])."""
    from .plugin import register as register_plugin

    register_plugin()
