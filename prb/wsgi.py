import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prb.settings")
application = get_wsgi_application()

# A production process without PRB_CREDENTIALS_KEY stops here with a clear message.
from interop.crypto import require_credentials_key  # noqa: E402

require_credentials_key()
