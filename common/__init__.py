"""Shared plumbing of every app, with no domain in it and no import of any PRB app.

``exports`` writes every CSV/XLSX download; ``api`` (exception handler, strict serializer)
and ``parsers`` (bounded JSON) are the DRF plumbing; ``text`` the maximum lengths of free
text; ``tasks`` the Celery retry policy.
"""
