"""部门预算公开 — turns YAML budget line items into the bilingual disclosure (HTML, PDF, data).

The stages, each a package that imports only the ones before it (tests/test_stages.py):

    core/       money, bilingual labels, issue codes, registries, the display rule, the sanitiser
    catalogue/  the classification catalogue (政府收支分类科目)
    load/       read YAML keeping positions → validate into a Budget
    compute/    ledger → the nine tables → named figures → narrative: a frozen DepartmentBudget
    reconcile/  identities, claims in prose, semantic checks: a Report; nothing is changed
    present/    what templates see of a budget in one language; the language catalogues
    outputs/    the Pelican plugin (HTML, data), the PDF, the read-back, atomic publishing

`generator.pipeline.load_content()` runs load → compute → reconcile for a content folder and is
the Python API; `generator.cli` is the `budget` command.
"""


def register():
    """Pelican plugin entry point (PLUGINS = ["generator"])."""
    from generator.outputs.plugin import register as register_plugin

    register_plugin()
