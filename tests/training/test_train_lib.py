"""train_lib options, run on a tiny mask-cycling MADE."""

import csv
import os

import numpy as np

from tfgen.configs import made_digits
from tfgen.training import train_lib


def tiny_ensemble_config(jit_compile):
  config = made_digits.get_config()
  config.model.hidden_units = (32, 32)
  config.model.num_masks = 4
  config.model.ordering = "random"
  config.data.batch_size = 64
  config.training.num_epochs = 2
  config.training.steps_per_epoch = 3
  config.training.jit_compile = jit_compile
  return config


def history(workdir):
  with open(os.path.join(workdir, "history.csv"), newline="") as handle:
    rows = list(csv.DictReader(handle))
  return np.array([[float(row["loss"]), float(row["val_loss"])] for row in rows])


def test_xla_steps_train_like_plain_steps_while_masks_cycle(tmp_path):
  # The masks change every step through degree variables; a compiled step that kept
  # the first step's masks, or skipped them, would give other losses.
  plain = str(tmp_path / "plain")
  xla = str(tmp_path / "xla")
  train_lib.train(tiny_ensemble_config(jit_compile=False), plain, verbose=0)
  train_lib.train(tiny_ensemble_config(jit_compile=True), xla, verbose=0)
  plain_history, xla_history = history(plain), history(xla)
  assert plain_history.shape == (2, 2)
  np.testing.assert_allclose(xla_history, plain_history, rtol=1e-4)
