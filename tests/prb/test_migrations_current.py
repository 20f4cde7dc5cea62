"""Every model the test run installs has its migration, the tests' own example apps included.

CI's ``makemigrations --check`` reads the production settings; the example outbox of the
interop tests lives only in the test settings, so a change to the shared outbox model that
its migration misses is caught here.
"""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
