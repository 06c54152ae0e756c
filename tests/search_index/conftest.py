"""An index in a temporary directory, empty or holding the sample documents, on each engine."""

import pytest

from search_index import SearchIndex
from search_index.tantivy_engine import TantivyIndex
from tests.search_index.samples import SAMPLES

ENGINES = {"whoosh": SearchIndex, "tantivy": TantivyIndex}
# Tests of what only the Whoosh engine has, with the reason; they run on Whoosh alone.
WHOOSH_ONLY = {
    "test_check_index_counts_documents": "check_index() opens a Whoosh index (storage.py)",
}


@pytest.fixture(params=sorted(ENGINES))
def engine(request):
    """The index class under test: every test of an index runs on Whoosh and on tantivy."""
    return ENGINES[request.param]


@pytest.fixture
def index(engine, tmp_path):
    search_index = engine(tmp_path / "index")
    yield search_index
    search_index.close()


@pytest.fixture
def sample_index(index):
    index.upsert(SAMPLES)
    return index


def pytest_collection_modifyitems(items):
    for item in items:
        callspec = getattr(item, "callspec", None)
        reason = WHOOSH_ONLY.get(getattr(item, "originalname", item.name))
        if reason and callspec and callspec.params.get("engine") == "tantivy":
            item.add_marker(pytest.mark.skip(reason=f"Whoosh only: {reason}"))
