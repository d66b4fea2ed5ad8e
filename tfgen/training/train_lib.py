"""Trains a model from a config with Keras fit, resumably, into a workdir."""

import math
import os
import time
import warnings

import keras
import tensorflow as tf

from tfgen import models
from tfgen.training import run
from tfgen.training.best_checkpoint import BestCheckpoint
from tfgen.training.mask_cycler import MaskCycler
from tfgen.training.optimizers import build_optimizer
from tfgen.training.resumable_backup import ResumableBackup
from tfgen.training.warm_start import WARM_START_JSON
from tfgen.training.warm_start import check_warm_start_flag
from tfgen.training.warm_start import source_position
from tfgen.training.warm_start import warm_start
from tfgen.utils import atomic
from tfgen.utils import plots
from tfgen.utils.workdir_lock import WorkdirLock

MINUTES_JSON = "minutes.json"


class _PlotCurves(keras.callbacks.Callback):
  """Redraws training_curves.png from history.csv after every epoch."""

  def __init__(self, csv_path, png_path, title):
    super().__init__()
    self.csv_path, self.png_path, self.title = csv_path, png_path, title

  def on_epoch_end(self, epoch, logs=None):
    if os.path.exists(self.csv_path):
      plots.plot_training_curves(self.csv_path, self.png_path, self.title)


class _RunClock:
  """Keeps minutes.json at the wall-clock and CPU minutes of all runs of a workdir.

  The backup calls `save` after each of its writes (every epoch, and every
  `steps_per_backup` steps), so a run that is killed still counts up to its
  last backup when a later run resumes. CPU minutes are this process's
  (`time.process_time`, all threads: about cores x wall minutes when busy);
  None when an earlier run of the workdir did not keep them.
  """

  def __init__(self, path, minutes_before, cpu_minutes_before=0.0):
    self.path, self.minutes_before, self.cpu_minutes_before = path, minutes_before, cpu_minutes_before
    self.started, self.cpu_started = time.time(), time.process_time()

  def minutes_this_run(self):
    return (time.time() - self.started) / 60.0

  def cpu_minutes_this_run(self):
    return (time.process_time() - self.cpu_started) / 60.0

  def cpu_minutes_total(self):
    if self.cpu_minutes_before is None:
      return None
    return round(self.cpu_minutes_before + self.cpu_minutes_this_run(), 4)

  def save(self):
    """Writes minutes.json; returns what it wrote: {minutes_total, cpu_minutes_total}."""
    record = {"minutes_total": round(self.minutes_before + self.minutes_this_run(), 4),
              "cpu_minutes_total": self.cpu_minutes_total()}
    atomic.write_json(self.path, record)
    return record


def _resume_seed(seed, epoch, batch):
  """The shuffle seed of a run resuming at (epoch, batch): distinct for every backup."""
  return seed + epoch + (batch << 20)  # Equal only 2**20 epochs apart.


def _minutes_before(workdir, resumed=False):
  """(wall-clock, CPU) minutes already spent on `workdir` by earlier runs, finished or killed.

  CPU minutes are None when an earlier run did not keep them (so no partial total):
  its record lacks them, or, `resumed` from a backup, there is no record at all
  (a backup written before minutes were kept).
  """
  for name in (MINUTES_JSON, "train_summary.json"):
    path = os.path.join(workdir, name)
    if os.path.exists(path):
      record = atomic.read_json(path)
      return (float(record.get("minutes_total", record.get("minutes_this_run", 0.0))),
              record.get("cpu_minutes_total"))
  return 0.0, (None if resumed else 0.0)


def strategy_for(name):
  """tf.distribute strategy: "default" (one device) or "mirrored" (all local devices)."""
  if name == "default":
    return tf.distribute.get_strategy()
  if name == "mirrored":
    return tf.distribute.MirroredStrategy()
  raise ValueError(f"unknown distribution {name!r}; use 'default' or 'mirrored'")


def train(config, workdir, verbose=1, extra_callbacks=(), warm_start_from=None):
  """Trains (or resumes) the run in `workdir`; returns a summary dict.

  Rerunning the same command after an interruption resumes from the latest
  backup; rerunning after it finished does no more training.

  Args:
    config: ml_collections.ConfigDict with seed, data, model, head, optimizer, training.
    workdir: run folder (created).
    verbose: Keras fit verbosity (1 = progress bar).
    extra_callbacks: more Keras callbacks (e.g. an app's sample printer).
    warm_start_from: another run's workdir; a fresh run starts from its latest
      backup, weights and optimizer slots (see `warm_start`). Ignored once this
      run has a backup of its own.
  """
  os.makedirs(workdir, exist_ok=True)
  # Held to the end: a second process on this workdir would interleave its
  # backups and history rows with ours and delete our temporaries as stale.
  with WorkdirLock(workdir):
    return _train(config, workdir, verbose, extra_callbacks, warm_start_from)


def _train(config, workdir, verbose, extra_callbacks, warm_start_from):
  """`train` with the workdir locked."""
  backup_dir = os.path.join(workdir, "backup")
  for folder in (workdir, backup_dir):
    if os.path.isdir(folder):
      atomic.remove_stale_temporaries(folder)
  keras.utils.set_random_seed(config.seed)
  backup = ResumableBackup(backup_dir, save_freq=int(config.training.steps_per_backup) or "epoch")
  resumed_from, resumed_batch = backup.restored_position()
  clock = _RunClock(os.path.join(workdir, MINUTES_JSON),
                    *_minutes_before(workdir, resumed=bool(resumed_from or resumed_batch)))
  backup.on_save = clock.save
  # Each process's shuffles start again from their seed, so a run resumed with the
  # config's seed would replay the epoch orders of the run it continues; with masks
  # cycling per step it would even replay the same (batch, mask) pairs, which it has
  # partly memorized. A resumed run shuffles from a seed of its own instead, which
  # also differs between two backups inside one epoch (Keras restarts the epoch).
  train_seed = _resume_seed(config.seed, resumed_from, resumed_batch)
  resumed = bool(resumed_from or resumed_batch)
  check_warm_start_flag(workdir, warm_start_from, resumed)
  if warm_start_from and not resumed:  # Nor the source's orders.
    position = source_position(warm_start_from)
    train_seed = _resume_seed(config.seed, position["epoch"], position["batch"])
  train_data, info = run.load_split(config, "train", seed=train_seed)
  valid_data, _ = run.load_split(config, "valid", shuffle=False)
  run.check_conditioning(config, info)
  train_data, valid_data = run.as_fit_inputs(train_data, config), run.as_fit_inputs(valid_data, config)

  fixed_steps = int(config.training.get("steps_per_epoch", 0)) or None
  if fixed_steps:
    train_data = train_data.repeat()  # Fixed-size epochs over a reshuffled stream.
  steps_per_epoch = fixed_steps or math.ceil(info.num_examples / config.data.batch_size)
  num_epochs = int(config.training.num_epochs)
  jit_compile = bool(config.training.get("jit_compile", False))
  if jit_compile and config.model.get("training_matmul_dtype", "float32") == "bfloat16":
    warnings.warn("model.training_matmul_dtype=bfloat16 with training.jit_compile=True: XLA's CPU "
                  "matmuls do not use the bfloat16 units, so these steps are slower than float32 "
                  "ones; set training.jit_compile=False.", stacklevel=2)
  strategy = strategy_for(config.training.distribution)
  with strategy.scope():
    model = models.build(config.model, config.head, info)
    model.build((None,) + tuple(info.shape))
    model.compile(optimizer=build_optimizer(config.optimizer, steps_per_epoch * num_epochs),
                  jit_compile=jit_compile)
  run.write_run_config(workdir, config, info, model.get_config())
  if warm_start_from and not resumed:
    with strategy.scope():
      started_from = warm_start(model, warm_start_from, workdir)
    if verbose:
      print(f"warm start from {started_from['source_workdir']} at epoch "
            f"{started_from['source_epoch']} (batch {started_from['source_batch']})")

  history_csv = os.path.join(workdir, "history.csv")
  callbacks = []
  if getattr(model, "num_masks", 1) > 1:
    callbacks.append(MaskCycler(int(config.training.get("steps_per_mask", 1))))
  callbacks += list(extra_callbacks) + [
      BestCheckpoint(os.path.join(workdir, run.BEST_WEIGHTS)),
      keras.callbacks.CSVLogger(history_csv, append=True),
      keras.callbacks.TensorBoard(os.path.join(workdir, "logs")),
      _PlotCurves(history_csv, os.path.join(workdir, "training_curves.png"),
                  f"{config.model.name} on {info.name}"),
  ]
  early_stopping = None
  if int(config.training.early_stopping_patience) > 0:
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=int(config.training.early_stopping_patience))
    callbacks.append(early_stopping)
  # Last, so an epoch counts as done only after its checkpoint and history row are written.
  callbacks.append(backup)

  stopped_path = os.path.join(workdir, "stopped_early.json")
  stopped = atomic.read_json(stopped_path) if os.path.exists(stopped_path) else None
  if stopped and stopped.get("num_epochs") == num_epochs:
    if verbose:
      print(f"{workdir} stopped early at epoch {stopped['epoch']} (validation NLL stalled); "
            f"nothing to train")
  else:
    if verbose and resumed_from >= num_epochs:
      print(f"{workdir} has finished its {num_epochs} epochs; nothing to train")
    elif verbose and resumed_from:
      print(f"resuming {workdir} at epoch {resumed_from + 1} of {num_epochs}")
    model.fit(train_data, validation_data=valid_data, epochs=num_epochs, callbacks=callbacks,
              steps_per_epoch=fixed_steps,
              verbose=verbose, shuffle=False)
    if early_stopping is not None and early_stopping.stopped_epoch > 0:
      atomic.write_json(stopped_path, {"epoch": early_stopping.stopped_epoch + 1,
                                       "num_epochs": num_epochs})
  best = atomic.read_json(os.path.join(workdir, "best.json")) if os.path.exists(
      os.path.join(workdir, "best.json")) else {}
  summary_path = os.path.join(workdir, "train_summary.json")
  summary = {"model": config.model.name, "dataset": info.name, "epochs": num_epochs,
             "resumed_from_epoch": resumed_from, "best_epoch": best.get("epoch"),
             "best_val_nll_nats": best.get("val_loss"),
             "minutes_this_run": round(clock.minutes_this_run(), 2),
             "cpu_minutes_this_run": round(clock.cpu_minutes_this_run(), 2)}
  warm_start_path = os.path.join(workdir, WARM_START_JSON)
  if os.path.exists(warm_start_path):
    summary["warm_start"] = atomic.read_json(warm_start_path)  # Its minutes are not in ours.
  # Wall-clock and CPU minutes of every run of this workdir together, killed ones included.
  summary.update(clock.save())
  atomic.write_json(summary_path, summary)
  return summary
