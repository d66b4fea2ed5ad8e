"""Test set-up: quiet TensorFlow, and the shared real data beside the repo."""

import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # pylint: disable=wrong-import-position

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


SHARED_FILES = ("binarized_mnist.npz", "tinyshakespeare.txt", "mnist/t10k-images-idx3-ubyte.gz",
                "names/dist.female.first")


@pytest.fixture
def shared_data():
  """../shared/data, or a skip that says why; a folder missing its files is an error."""
  if not SHARED_DATA.is_dir():
    pytest.skip(f"needs the shared data folder {SHARED_DATA} (absent here)")
  missing = [name for name in SHARED_FILES if not (SHARED_DATA / name).exists()]
  assert not missing, f"{SHARED_DATA} lacks {missing}"
  return SHARED_DATA


@pytest.fixture(autouse=True)
def fixed_seeds():
  """Every test starts from the same Keras, TF, NumPy and Python seeds."""
  import keras  # pylint: disable=import-outside-toplevel
  keras.utils.set_random_seed(1234)
