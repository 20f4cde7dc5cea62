from tests.support.bpjs_fake import bpjs_fake  # noqa: F401
