"""Stage 4, present: what templates see of a budget in one language, and the language catalogues.
"""
