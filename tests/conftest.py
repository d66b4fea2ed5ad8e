"""Test set-up: quiet TensorFlow, and the shared real data beside the repo."""

import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
if os.environ.get("PYTEST_XDIST_WORKER"):
  # `pytest -n 2` runs a worker per core: one TensorFlow compute thread each (and in the
  # processes their tests start), or each worker's ops would contend for both cores.
  os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")

import pytest  # pylint: disable=wrong-import-position

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


SHARED_FILES = ("binarized_mnist.npz", "tinyshakespeare.txt", "mnist/t10k-images-idx3-ubyte.gz",
                "names/dist.female.first")


# The longest tests (a minute or more each, most in subprocesses) start first, so that
# `pytest -n 2` (the Makefile's) does not end with one worker running them alone.
LONG_FIRST = ("tests/test_demo.py", "tests/training/test_binaries.py",
              "tests/apps/style_transfer/test_style_transfer.py", "tests/export/test_demos.py",
              "tests/training/test_distribution.py")


def pytest_collection_modifyitems(items):
  def rank(item):
    path = item.nodeid.split("::")[0]
    return LONG_FIRST.index(path) if path in LONG_FIRST else len(LONG_FIRST)
  items.sort(key=rank)  # Stable: the rest keep their order.


@pytest.fixture
def shared_data():
  """../shared/data, or a skip that says why; a folder missing its files is an error."""
  if not SHARED_DATA.is_dir():
    pytest.skip(f"needs the shared data folder {SHARED_DATA} (absent here)")
  missing = [name for name in SHARED_FILES if not (SHARED_DATA / name).exists()]
  assert not missing, f"{SHARED_DATA} lacks {missing}"
  return SHARED_DATA


@pytest.fixture(scope="module")
def fuzz_folder(tmp_path_factory):
  """A folder the fuzz tests of one module write their cases to (see tests/fuzzing.py)."""
  return str(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(autouse=True)
def fixed_seeds():
  """Every test starts from the same Keras, TF, NumPy and Python seeds."""
  import keras  # pylint: disable=import-outside-toplevel
  keras.utils.set_random_seed(1234)


# Tiny app runs shared by the app tests and the export tests (a few training steps each).
MOTION_TINY = {"model.hidden_units": 8, "model.decoder_units": 8, "training.steps_per_epoch": 3,
               "training.num_epochs": 1, "data.batch_size": 4, "data.num_valid_windows": 4}
STYLE_TINY = {"training.num_epochs": 1, "training.steps_per_epoch": 3, "model.num_filters": 4,
              "model.num_residual_blocks": 1}


@pytest.fixture(scope="session")
def motion_tiny_run(tmp_path_factory):
  """(workdir, summary) of a mixture density GRU on the synthetic walker."""
  from apps.motion_prediction import train_lib  # pylint: disable=import-outside-toplevel
  workdir = str(tmp_path_factory.mktemp("motion") / "run")
  return workdir, train_lib.train("synthetic", "mdn", workdir, MOTION_TINY, verbose=0)


@pytest.fixture(scope="session")
def style_digits_run(tmp_path_factory):
  """The workdir of a CycleGAN between the digits and their known restyling."""
  from apps.style_transfer import train_lib  # pylint: disable=import-outside-toplevel
  workdir = str(tmp_path_factory.mktemp("style_digits"))
  summary = train_lib.train("embedded:digits", "embedded:restyled_digits", workdir, "digits",
                            STYLE_TINY, verbose=0)
  assert summary["best_epoch"] == 1
  return workdir

