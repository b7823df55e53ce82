import pytest

from workers.engine import load_engine


@pytest.fixture(scope="session")
def engine():
    """The engine over the five seed reports, loaded once."""
    return load_engine("seeds")
