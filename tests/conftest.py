"""Test set-up: quiet TensorFlow, and the shared real data beside the repo."""

import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # pylint: disable=wrong-import-position

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def shared_data():
  """../shared/data, or a skip that says why."""
  if not SHARED_DATA.is_dir():
    pytest.skip(f"needs the shared data folder {SHARED_DATA} (absent here)")
  return SHARED_DATA


@pytest.fixture(autouse=True)
def fixed_seeds():
  """Every test starts from the same Keras, TF, NumPy and Python seeds."""
  import keras  # pylint: disable=import-outside-toplevel
  keras.utils.set_random_seed(1234)
