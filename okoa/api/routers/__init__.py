"""One router per app; each endpoint parses, loads through ``access.py``, acts, describes."""
