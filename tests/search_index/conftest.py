"""An index in a temporary directory, empty or holding the sample documents."""

import pytest

from search_index import SearchIndex
from tests.search_index.samples import SAMPLES


@pytest.fixture
def index(tmp_path):
    search_index = SearchIndex(tmp_path / "index")
    yield search_index
    search_index.close()


@pytest.fixture
def sample_index(index):
    index.upsert(SAMPLES)
    return index
