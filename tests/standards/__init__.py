"""A library that lives only in the test suite (issue 14): technical standards.

It proves that adding a library is one app plus one registration: the test
in tests/portal/test_architecture.py registers it at run time and finds it
in the search across libraries, in saved searches and their digests, and in
`reindex_search`, with no change to portal/.
"""
