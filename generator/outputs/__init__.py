"""Stage 5, outputs: the Pelican plugin (HTML and data), the PDF, the read-back of what was rendered,
and publishing output/ atomically.
"""
