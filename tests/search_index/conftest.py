"""An index in a temporary directory, empty or holding the sample documents, on each engine."""

import pytest

from search_index import SearchIndex
from search_index.tantivy_engine import TantivyIndex
from tests.search_index.samples import SAMPLES

ENGINES = {"whoosh": SearchIndex, "tantivy": TantivyIndex}


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
