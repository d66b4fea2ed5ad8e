"""train_lib options, run on a tiny mask-cycling MADE."""

import csv

import keras
import numpy as np
import pytest

from tests.training.interrupt import Interrupt, Interrupted
from tests.training.saved_weights import saved_weights
from tests.training.tiny_configs import tiny_config
from tfgen.configs import dcgan_digits, made_digits, vae_digits
from tfgen.training import train_lib
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


def test_the_stream_gives_each_pass_its_own_order_and_resumes_at_any_step():
  # A resumed run neither replays the orders it has seen nor loses its place: it continues
  # the stream an unbroken run would have drawn.
  config = tiny_ensemble_config(jit_compile=False)
  config.data.batch_size = 500  # 1258 training digits: 3 batches a pass, the last of 258.

  def batches(step, count):
    start = train_lib._Start(0, 0, 0, step=step, stream_seed=config.seed)  # pylint: disable=protected-access
    stream = train_lib._datasets(config, start)[0]  # pylint: disable=protected-access
    return [np.asarray(batch).reshape(len(batch), -1) for batch in stream.take(count)]

  whole = batches(0, 6)
  assert [len(batch) for batch in whole] == [500, 500, 258] * 2
  first_pass, second_pass = np.concatenate(whole[:3]), np.concatenate(whole[3:])
  # Each pass holds every example once, in an order of its own.
  np.testing.assert_array_equal(np.unique(first_pass, axis=0), np.unique(second_pass, axis=0))
  assert not np.array_equal(first_pass, second_pass)
  for step in (1, 3, 4):
    for resumed, unbroken in zip(batches(step, 6 - step), whole[step:]):
      np.testing.assert_array_equal(resumed, unbroken)


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


@pytest.mark.parametrize("config_module", [made_digits, vae_digits, dcgan_digits],
                         ids=["made", "vae", "dcgan"])
def test_an_interrupted_run_resumes_to_the_weights_of_an_unbroken_run(tmp_path, config_module):
  # The stream resumes at the backup's step: the same batches in the same order, the same
  # number of steps in all; the VAE's noise state and KL warm-up position, and the GAN's two
  # optimizers and noise, restored.
  # Backups every 3 steps, and at each epoch's end (every 5 steps).
  config = tiny_config(config_module, num_epochs=3, steps_per_epoch=5, steps_per_backup=3)
  if config_module is vae_digits:
    config.model.kl_warmup_steps = 10
  unbroken, resumed = str(tmp_path / "unbroken"), str(tmp_path / "resumed")
  train_lib.train(config, unbroken, verbose=0)
  with pytest.raises(Interrupted):
    train_lib.train(config, resumed, verbose=0, extra_callbacks=[Interrupt(9)])
  step = Workdir(resumed).read_backup_step()
  assert 5 < step < 9 and Workdir(resumed).read_backup_position()[0] == 1  # Inside epoch 2.
  summary = train_lib.train(config, resumed, verbose=0)
  assert summary["resumed_from_epoch"] == 1
  assert Workdir(resumed).read_backup_step() == 15 == Workdir(unbroken).read_backup_step()
  for resumed_weight, unbroken_weight in zip(saved_weights(resumed), saved_weights(unbroken)):
    np.testing.assert_allclose(resumed_weight, unbroken_weight, rtol=1e-5, atol=1e-6)
