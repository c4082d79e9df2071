"""Stage 1, load: read a YAML file keeping positions, and validate it into a Budget.
"""
