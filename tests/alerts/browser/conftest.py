from tests.support.browser import browser, page  # noqa: F401
