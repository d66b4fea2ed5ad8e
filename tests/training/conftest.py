"""Runs shared by the training tests."""

import math

import pytest

from tfgen.configs import pixel_cnn_digits
from tfgen.training import train_lib


@pytest.fixture(scope="session")
def pixel_cnn_run(tmp_path_factory):
  """A small PixelCNN trained for 4 epochs on the digits (about 5 s): its workdir."""
  config = pixel_cnn_digits.get_config()
  config.model.num_filters = 16
  config.model.num_residual_blocks = 1
  config.training.num_epochs = 4
  workdir = str(tmp_path_factory.mktemp("pixel_cnn"))
  summary = train_lib.train(config, workdir, verbose=0)
  # All 4 epochs ran, and the best checkpoint beats uniform guessing (64 ln 17 = 181 nats).
  assert summary["epochs"] == 4 and summary["best_val_nll_nats"] < 64 * math.log(17), summary
  return workdir
