"""Tiny trained runs and their float32 TFLite exports, shared by the export tests."""

import pytest

from export import tflite_lib
from tests.export import tiny_runs


@pytest.fixture(scope="session")
def names_run(tmp_path_factory):
  # Weights large enough for dynamic-range quantization to apply.
  return tiny_runs.names_run(tmp_path_factory.mktemp("tflite") / "names", hidden_units=64,
                             embedding_size=8)


@pytest.fixture(scope="session")
def names_tflite(names_run, tmp_path_factory):
  """(path, result lines) of the names run's float32 export."""
  lines = []
  path = str(tmp_path_factory.mktemp("exported") / "names.tflite")
  result = tflite_lib.export(names_run, path, print_fn=lines.append)
  assert not result["skipped"], result["skipped"]  # Every signature of a char-RNN converts.
  return path, lines


@pytest.fixture(scope="session")
def made_run(tmp_path_factory):
  return tiny_runs.made_run(tmp_path_factory.mktemp("made") / "made_digits", hidden_units=(8,))


@pytest.fixture(scope="session")
def made_tflite(made_run, tmp_path_factory):
  path = str(tmp_path_factory.mktemp("exported") / "made.tflite")
  result = tflite_lib.export(made_run, path, print_fn=lambda _: None)
  assert not result["skipped"], result["skipped"]  # And every signature of a MADE.
  return path, result
