"""Shared plumbing of every app, with no domain in it and no import of any PRB app.

``exports`` writes every CSV/XLSX download, ``api`` holds the DRF error handling, parser
and serializer base, ``validators`` the date rules both forms and API apply, ``tasks``
the Celery retry policy.
"""
