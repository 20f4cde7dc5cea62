"""The small core every national-system integration (BPJS, SATUSEHAT) builds on.

STYLE.md item 14: an integration is an app with a client that only speaks the
protocol, services that turn PRB records into payloads, and an outbox row per thing
to send. This package holds what those apps share, so each rule exists once:

Credentials (``interop.crypto``, ``interop.fields``)
    Secrets (BPJS secret and user keys, SATUSEHAT client secrets) are stored with
    ``EncryptedTextField``: Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``)
    with the key in the environment variable ``PRB_CREDENTIALS_KEY`` (one key, or several
    separated by commas to rotate: the first encrypts, all decrypt). With ``DEBUG`` a key
    derived from ``SECRET_KEY`` is used when none is set; otherwise a missing key stops
    the web process at start (``prb/wsgi.py``), fails ``check --deploy`` (``interop.E001``)
    and fails any attempt to read or store a secret. The form field is write-only: it
    never renders the stored value, shows "tersimpan" when one exists, keeps it when left
    blank and removes it only when "hapus" is ticked.

Errors (``interop.errors``)
    ``InteropError`` carries a message for people and whether the failure is transient.
    ``is_transient`` is the one classification: network errors, timeouts and HTTP 5xx are
    retried; HTTP 4xx, malformed answers and programming errors are not.

HTTP (``interop.transport``; not ``http``, which would shadow the standard library)
    ``http_request``: one request with a timeout, no retries, never logs headers or
    bodies (they carry signatures, tokens and patient data).

Outbox (``interop.models.OutboxItem``, ``interop.services``, ``interop.tasks``)
    An abstract model: ``facility`` (whose credentials send the row), ``state``
    waiting/sent/failed, ``attempts``, ``next_attempt_at``, ``last_error`` (for people),
    ``remote_id``, ``idempotency_key``; ``outbox_due_index`` names each concrete outbox's
    index of the beat job's query. A concrete outbox names its Celery task in
    ``deliver_task``; the task calls ``outbox_deliver(row_type, pk, send)`` which claims the
    row with one conditional update (``state=waiting`` and due, pushing ``next_attempt_at``
    forward by a lease), so two workers never send the same row at once
    and a worker that dies only delays it by the lease. ``send`` returns the remote id, or
    raises: transient errors wait ``outbox_backoff(attempts)`` (1, 2, 4 … minutes, at most
    6 hours; after ``OUTBOX_MAX_ATTEMPTS`` the row is failed), other errors fail the row at
    once. ``outbox_retry`` puts a failed row back in the queue (the "kirim ulang" button).
    The beat job ``interop.tasks.outbox_dispatch_due`` enqueues every due row of every
    concrete outbox every few minutes, which also picks up rows whose worker died.
"""
