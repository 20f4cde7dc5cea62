"""Settings for the test run: production settings with test-speed and plain-HTTP tweaks."""

import base64
import hashlib
import os

# The production settings refuse to load without a key when DEBUG is off; tests bring one.
os.environ.setdefault("SECRET_KEY", "test-only-key-" + "q8Vn3xT1bZ7m" * 4)

from prb.settings import *  # noqa: F403
from prb.settings import DATABASES, STORAGES

# Parallel runs on one server (several checkouts, or CI beside a developer) need their own.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("PRB_TEST_DATABASE", "test_prb")}

# The test client and the live server speak plain HTTP; production redirects to HTTPS
# (tests/prb/test_settings.py checks the production values).
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Hashed static names need `collectstatic`; the tests serve files as they are.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
# A derived key for the test run; production sets PRB_CREDENTIALS_KEY (interop.crypto).
PRB_CREDENTIALS_KEY = (
    os.environ.get("PRB_CREDENTIALS_KEY")
    or base64.urlsafe_b64encode(hashlib.sha256(b"prb-test-credentials").digest()).decode()
)

# A concrete outbox and an encrypted field for the tests of the shared core (tests/interop).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.support.outbox_app"]  # noqa: F405
# First, so its command wins over Django's: a flush that may empty the append-only tables
# between transactional tests.
INSTALLED_APPS = ["tests.support.ledger_flush", *INSTALLED_APPS]
