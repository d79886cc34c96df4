"""Settings for the test suite: the real settings, with test-friendly environment.

DEBUG stays off (as Django's test runner wants); the development SECRET_KEY
fallback is allowed; e-mail is kept in memory so tests can read it.
"""

import os

os.environ.setdefault("PORTAL_TESTING", "1")
os.environ["EMAIL_URL"] = "locmem:"
os.environ.pop("DEBUG", None)

from portal.settings import *  # noqa: F403
