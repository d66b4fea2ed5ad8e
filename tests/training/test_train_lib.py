"""train_lib options, run on a tiny mask-cycling MADE."""

import csv
import json
import os

import keras
import numpy as np
import pytest

from tfgen.configs import made_digits
from tfgen.training import run, train_lib
from tfgen.training.resumable_backup import ResumableBackup


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
  metadata_path = os.path.join(str(tmp_path), "backup", "training_metadata.json")
  config.training.num_epochs = 2
  for mid_epoch_batch in (2, 4):  # As if killed after backups at these steps of epoch 2.
    with open(metadata_path, "w", encoding="utf-8") as handle:
      json.dump({"epoch": 1, "batch": mid_epoch_batch}, handle)
    train_lib.train(config, str(tmp_path), verbose=0)
  assert train_seeds[0] == config.seed
  assert len(set(train_seeds)) == 3, train_seeds
  with open(metadata_path, encoding="utf-8") as handle:
    assert json.load(handle) == {"epoch": 2, "batch": 0}


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
  written = json.loads((tmp_path / "config.json").read_text())
  assert written["config"]["model"]["training_matmul_dtype"] == "bfloat16"


def test_bfloat16_matmuls_under_xla_warn_that_they_are_slow(tmp_path):
  config = tiny_ensemble_config(jit_compile=True)
  config.training.num_epochs = 1
  config.training.steps_per_epoch = 1
  config.model.training_matmul_dtype = "bfloat16"
  with pytest.warns(UserWarning, match="jit_compile=False"):
    train_lib.train(config, str(tmp_path), verbose=0)


def test_run_clock_writes_minutes_at_the_backup_frequency_too(tmp_path):
  path = tmp_path / "minutes.json"
  clock = train_lib._RunClock(str(path), minutes_before=2.5, cpu_minutes_before=4.0)  # pylint: disable=protected-access
  backup = backup_for_a_tiny_model(tmp_path / "backup", save_freq=2, on_save=clock.save)
  backup.on_train_batch_end(0)
  assert not path.exists()  # Not yet: one step of two.
  backup.on_train_batch_end(1)
  record = json.loads(path.read_text())
  assert record["minutes_total"] >= 2.5  # Mid-epoch, with the earlier minutes.
  assert record["cpu_minutes_total"] > 4.0  # This process has used some CPU since.
  path.unlink()
  backup.on_train_batch_end(0)  # The count runs on across epochs: it is the backup's own.
  assert not path.exists()
  backup.on_train_batch_end(1)
  assert path.exists()
  epochs_only = train_lib._RunClock(str(tmp_path / "epochs.json"), 0.0)  # pylint: disable=protected-access
  backup = backup_for_a_tiny_model(tmp_path / "epoch_backup", save_freq="epoch",
                                   on_save=epochs_only.save)
  for batch in range(5):
    backup.on_train_batch_end(batch)
  assert not (tmp_path / "epochs.json").exists()
  backup.on_epoch_end(0)
  assert (tmp_path / "epochs.json").exists()


def test_backup_writes_an_epochs_last_step_once(tmp_path):
  saves = []
  backup = backup_for_a_tiny_model(tmp_path / "backup", save_freq=2,
                                   on_save=lambda: saves.append(backup._current_epoch))  # pylint: disable=protected-access
  backup.set_params({"steps": 4, "epochs": 2})
  for batch in range(4):
    backup.on_train_batch_end(batch)
  assert len(saves) == 1  # After step 2 of 4; step 4 is left to the epoch's end.
  backup.on_epoch_end(0)
  assert saves == [0, 1]
  metadata = json.loads((tmp_path / "backup" / "training_metadata.json").read_text())
  assert metadata["epoch"] == 1
  backup.on_epoch_begin(1)
  backup.on_train_batch_end(0)
  assert len(saves) == 2  # The count to the next backup restarted at the epoch's end.
  backup.on_train_batch_end(1)
  assert saves == [0, 1, 1]


def backup_for_a_tiny_model(backup_dir, save_freq, on_save):
  model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
  backup = ResumableBackup(str(backup_dir), save_freq=save_freq, on_save=on_save)
  backup.set_model(model)
  backup.on_epoch_begin(0)
  return backup


def test_cpu_minutes_stay_unknown_after_a_run_that_did_not_keep_them(tmp_path):
  (tmp_path / "minutes.json").write_text(json.dumps({"minutes_total": 3.0}))
  before = train_lib._minutes_before(str(tmp_path))  # pylint: disable=protected-access
  assert before == (3.0, None)
  clock = train_lib._RunClock(str(tmp_path / "minutes.json"), *before)  # pylint: disable=protected-access
  clock.save()
  record = json.loads((tmp_path / "minutes.json").read_text())
  assert record["minutes_total"] >= 3.0 and record["cpu_minutes_total"] is None  # No partial total.
  # A backup with no minutes record at all predates them: CPU unknown; a fresh run starts at 0.
  empty = tmp_path / "empty"
  empty.mkdir()
  assert train_lib._minutes_before(str(empty), resumed=True) == (0.0, None)  # pylint: disable=protected-access
  assert train_lib._minutes_before(str(empty), resumed=False) == (0.0, 0.0)  # pylint: disable=protected-access
