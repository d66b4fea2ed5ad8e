"""train_lib options, run on a tiny mask-cycling MADE."""

import csv
import json

import keras
import numpy as np
import pytest

from tfgen.configs import made_digits
from tfgen.training import run, train_lib
from tfgen.training.resumable_backup import ResumableBackup
from tfgen.training.run_clock import RunClock
from tfgen.training.workdir import Workdir


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
  with open(Workdir(workdir).history_path, newline="") as handle:
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


def record_train_seeds(monkeypatch):
  """A list that collects the seed of every train-split load."""
  train_seeds = []
  load_split = run.load_split

  def recording_load_split(config, split, **kwargs):
    if split == "train":
      train_seeds.append(kwargs.get("seed"))
    return load_split(config, split, **kwargs)

  monkeypatch.setattr(run, "load_split", recording_load_split)
  return train_seeds


def test_a_resumed_run_does_not_replay_the_epoch_orders_it_has_seen(tmp_path, monkeypatch):
  # Each process's shuffles restart from their seed: resuming with the config's seed
  # would give epoch 2 the order epoch 1 had (and, masks cycling per step, its pairs).
  train_seeds = record_train_seeds(monkeypatch)
  config = tiny_ensemble_config(jit_compile=False)
  config.training.num_epochs = 1
  train_lib.train(config, str(tmp_path), verbose=0)
  config.training.num_epochs = 2
  train_lib.train(config, str(tmp_path), verbose=0)
  assert train_seeds == [config.seed, config.seed + 1]
  assert len(history(str(tmp_path))) == 2  # One epoch in each run.

  def first_epoch_order(seed):
    dataset, _ = run.load_split(config, "train", seed=seed)
    return np.concatenate([np.asarray(batch).reshape(len(batch), -1) for batch in dataset])

  first, resumed = first_epoch_order(train_seeds[0]), first_epoch_order(train_seeds[1])
  assert first.shape == resumed.shape
  assert not np.array_equal(first, resumed)

  def sorted_rows(rows):
    return rows[np.lexsort(rows.T[::-1])]

  np.testing.assert_array_equal(sorted_rows(first), sorted_rows(resumed))  # The same examples.


def test_two_resumes_inside_one_epoch_shuffle_differently(tmp_path, monkeypatch):
  # Keras restarts a backed-up epoch from its first batch, so a second kill inside the
  # same epoch must not resume with the order the backup's weights were trained on.
  train_seeds = record_train_seeds(monkeypatch)
  config = tiny_ensemble_config(jit_compile=False)
  config.training.num_epochs = 1
  train_lib.train(config, str(tmp_path), verbose=0)
  metadata_path = Workdir(tmp_path).backup_metadata_path
  config.training.num_epochs = 2
  for mid_epoch_batch in (2, 4):  # As if killed after backups at these steps of epoch 2.
    with open(metadata_path, "w", encoding="utf-8") as handle:
      json.dump({"epoch": 1, "batch": mid_epoch_batch}, handle)
    train_lib.train(config, str(tmp_path), verbose=0)
  assert train_seeds[0] == config.seed
  assert len(set(train_seeds)) == 3, train_seeds
  assert Workdir(tmp_path).read_backup_position() == (2, 0)


def test_a_run_may_switch_its_training_matmuls_to_bfloat16_when_it_resumes(tmp_path):
  config = tiny_ensemble_config(jit_compile=True)
  config.training.num_epochs = 1
  train_lib.train(config, str(tmp_path), verbose=0)
  config.training.num_epochs = 2
  config.training.jit_compile = False
  config.model.training_matmul_dtype = "bfloat16"
  train_lib.train(config, str(tmp_path), verbose=0)
  losses = history(str(tmp_path))
  assert losses.shape == (2, 2) and np.all(np.isfinite(losses))
  written, _ = Workdir(tmp_path).read_config()
  assert written.model.training_matmul_dtype == "bfloat16"


def test_bfloat16_matmuls_under_xla_warn_that_they_are_slow(tmp_path):
  config = tiny_ensemble_config(jit_compile=True)
  config.training.num_epochs = 1
  config.training.steps_per_epoch = 1
  config.model.training_matmul_dtype = "bfloat16"
  with pytest.warns(UserWarning, match="jit_compile=False"):
    train_lib.train(config, str(tmp_path), verbose=0)


def test_run_clock_writes_minutes_at_the_backup_frequency_too(tmp_path):
  workdir = Workdir(tmp_path)
  workdir.write_minutes(2.5, 4.0)  # Earlier runs'.
  clock = RunClock(workdir)
  path = tmp_path / "minutes.json"
  path.unlink()
  backup = backup_for_a_tiny_model(workdir, save_freq=2, on_save=clock.save)
  backup.on_train_batch_end(0)
  assert not path.exists()  # Not yet: one step of two.
  backup.on_train_batch_end(1)
  minutes, cpu_minutes = workdir.read_minutes()
  assert minutes >= 2.5  # Mid-epoch, with the earlier minutes.
  assert cpu_minutes > 4.0  # This process has used some CPU since.
  path.unlink()
  backup.on_train_batch_end(0)  # The count runs on across epochs: it is the backup's own.
  assert not path.exists()
  backup.on_train_batch_end(1)
  assert path.exists()
  epochs_only = Workdir(tmp_path / "epochs")
  epochs_only.create()
  backup = backup_for_a_tiny_model(epochs_only, save_freq="epoch",
                                   on_save=RunClock(epochs_only).save)
  for batch in range(5):
    backup.on_train_batch_end(batch)
  assert not (tmp_path / "epochs" / "minutes.json").exists()
  backup.on_epoch_end(0)
  assert epochs_only.read_minutes()[1] > 0.0


def test_backup_writes_an_epochs_last_step_once(tmp_path):
  workdir = Workdir(tmp_path)
  saves = []
  backup = backup_for_a_tiny_model(workdir, save_freq=2,
                                   on_save=lambda: saves.append(workdir.read_backup_position()))
  backup.set_params({"steps": 4, "epochs": 2})
  for batch in range(4):
    backup.on_train_batch_end(batch)
  assert saves == [(0, 1)]  # After step 2 of 4; step 4 is left to the epoch's end.
  backup.on_epoch_end(0)
  assert saves == [(0, 1), (1, 0)]
  backup.on_epoch_begin(1)
  backup.on_train_batch_end(0)
  assert len(saves) == 2  # The count to the next backup restarted at the epoch's end.
  backup.on_train_batch_end(1)
  assert saves == [(0, 1), (1, 0), (1, 1)]


def backup_for_a_tiny_model(workdir, save_freq, on_save):
  model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
  backup = ResumableBackup(workdir.backup_weights_path, workdir.backup_metadata_path,
                           save_freq=save_freq, on_save=on_save)
  backup.set_model(model)
  backup.on_epoch_begin(0)
  return backup


def test_a_backup_restores_through_keras(tmp_path):
  """Keras reads the backup at the workdir's paths: fit resumes at the saved epoch."""
  workdir = Workdir(tmp_path)
  x = np.ones((4, 2), np.float32)
  model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
  model.compile("sgd", "mse")
  backup = ResumableBackup(workdir.backup_weights_path, workdir.backup_metadata_path)
  model.fit(x, x[:, :1], epochs=2, verbose=0, callbacks=[backup])
  assert workdir.read_backup_position() == (2, 0)
  resumed = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
  resumed.compile("sgd", "mse")
  history_of_resumed = resumed.fit(
      x, x[:, :1], epochs=3, verbose=0,
      callbacks=[ResumableBackup(workdir.backup_weights_path, workdir.backup_metadata_path)])
  assert len(history_of_resumed.epoch) == 1  # Only epoch 3 was left.
  np.testing.assert_allclose(resumed.layers[0].kernel.numpy(), model.layers[0].kernel.numpy(),
                             atol=0.2)


def test_fit_prints_a_progress_bar_only_on_a_terminal():
  class Stream:
    def __init__(self, tty):
      self.tty = tty

    def isatty(self):
      return self.tty

  assert train_lib.fit_verbosity("auto", Stream(tty=True)) == 1
  assert train_lib.fit_verbosity("auto", Stream(tty=False)) == 2
  assert train_lib.fit_verbosity(0, Stream(tty=True)) == 0
