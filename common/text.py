"""Sane maximum lengths of free text (issue 10 item 9).

Every free-text model field, form field and API field of PRB has a maximum length, so a
pasted document or a hostile client cannot store megabytes in a note: the form and the API
answer with a message instead. ``tests/common/test_limits.py`` checks that no form or API
input field is left without one.
"""

# A clinical resume, management plan, findings: about four typed pages.
LONG_TEXT = 10_000
# A reason, a note, a list of witnesses.
NOTE_TEXT = 2_000
