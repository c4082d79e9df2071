"""The vocabulary every stage shares: money, bilingual labels, issues and their codes, the registries
of sources/kinds/tables, the display rule and the sanitiser.
"""
