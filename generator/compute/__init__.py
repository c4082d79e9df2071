"""Stage 2, compute: the ledger, the nine tables, the named figures and the narrative.
"""
