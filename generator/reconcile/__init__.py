"""Stage 3, reconcile: the identities, the claims in prose and the semantic checks; returns a Report
and changes nothing it reads.
"""
