"""Reading published budget PDFs: the printed document (printed.py), the reader (reader.py) and the audit (audit.py)."""
