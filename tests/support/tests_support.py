"""Shared test helpers importable from any test module (tests/support is put on sys.path by conftest)."""
import os

import pytest

ON_POSTGRES = bool(os.environ.get("TONGBAN_TEST_POSTGRES_URL"))
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="needs TONGBAN_TEST_POSTGRES_URL (CI's PostgreSQL pass)")
