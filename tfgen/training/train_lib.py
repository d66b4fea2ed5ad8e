"""Trains a model from a config with Keras fit, resumably, into a workdir."""

import contextlib
import dataclasses
import math
import sys
import warnings

import keras
import numpy as np
import tensorflow as tf

from tfgen import models
from tfgen.configs import common
from tfgen.training import distribution
from tfgen.training import run
from tfgen.training.best_checkpoint import BestCheckpoint
from tfgen.training.mask_cycler import MaskCycler
from tfgen.training.non_finite_guard import NonFiniteGuard
from tfgen.training.optimizers import build_optimizer
from tfgen.training.resumable_backup import ResumableBackup
from tfgen.training.run_clock import RunClock
from tfgen.training.sample_monitor import SampleMonitor
from tfgen.training.warm_start import check_warm_start_flag
from tfgen.training.warm_start import source_position
from tfgen.training.warm_start import warm_start
from tfgen.training.workdir import Workdir
from tfgen.utils import plots


class _PlotCurves(keras.callbacks.Callback):
  """Redraws training_curves.png from history.csv after every epoch."""

  def __init__(self, workdir, title):
    super().__init__()
    self.workdir, self.title = workdir, title

  def on_epoch_end(self, epoch, logs=None):
    plots.plot_training_curves(self.workdir.history_path, self.workdir.curves_path, self.title)


class _StopAtStep(keras.callbacks.Callback):
  """Stops training once the global step (over all runs of the workdir) reaches `total_steps`."""

  def __init__(self, total_steps, start_step):
    super().__init__()
    self.total_steps, self.global_step = total_steps, start_step

  def on_train_batch_end(self, batch, logs=None):
    self.global_step += 1
    if self.global_step >= self.total_steps:
      self.model.stop_training = True


def resume_seed(seed, epoch, batch):
  """A shuffle seed of a run resuming at (epoch, batch): distinct for every backup.

  tfgen.data's stream resumes where the backup was (`_datasets`). A `datasets`
  function that cannot resume its stream gets this seed instead: resumed with the
  config's seed it would replay the orders of the run it continues (and, masks
  cycling per step, the same (batch, mask) pairs); this seed differs for every
  backup, even two inside one epoch. Warm starts use it too.
  """
  return seed + epoch + (batch << 20)  # Equal only 2**20 epochs apart.


def fit_verbosity(verbose="auto", stream=None):
  """Keras fit verbosity: "auto" is a progress bar on a terminal, one line per epoch otherwise.

  A progress bar written to a log file (`nohup ... > log`) is ~100 KB of
  carriage-return frames and colour codes per epoch.
  """
  if verbose != "auto":
    return verbose
  stream = sys.stdout if stream is None else stream
  return 1 if stream.isatty() else 2


@dataclasses.dataclass
class _Start:
  """Where a run starts: a fresh run, its own backup, or another run's (warm start).

  `step` is the backup's global step, where the training stream resumes (None for a
  backup an older tfgen wrote); `stream_seed` seeds the stream's orders; `shuffle_seed`,
  distinct for every backup, is for `datasets` functions that cannot resume a stream.
  """
  epoch: int
  batch: int
  shuffle_seed: int
  step: int | None = 0
  stream_seed: int = 0

  @property
  def resumed(self):
    return bool(self.epoch or self.batch)


def train(config, workdir, verbose="auto", extra_callbacks=(), warm_start_from=None,
          datasets=None, overwrite=False):
  """Trains (or resumes) the run in `workdir`; returns a summary dict.

  Rerunning the same command after an interruption resumes from the latest
  backup; rerunning after it finished does no more training.

  Args:
    config: ml_collections.ConfigDict with seed, data, model, head, optimizer, training.
    workdir: run folder (created), a path or a `Workdir`.
    verbose: Keras fit verbosity; "auto" = a progress bar on a terminal, one
      line per epoch when stdout is a file; 0 = silent.
    extra_callbacks: more Keras callbacks (e.g. an app's sample printer).
    warm_start_from: another run's workdir; a fresh run starts from its latest
      backup, weights and optimizer slots (see `warm_start`). Ignored once this
      run has a backup of its own.
    datasets: None to load config.data through `tfgen.data`; else a function
      of where the run starts (`start.epoch`, `start.batch`, and
      `start.shuffle_seed`, a seed of its own for each backup) -> (train
      dataset, valid dataset, DatasetInfo, steps per epoch), for data
      tfgen.data does not know (the style-transfer app's unpaired folders).
    overwrite: delete the run already in `workdir` (whatever its config) and
      start afresh; a folder that is not a workdir is refused.
  """
  common.check_config(config)
  # First: a multi-worker strategy must set up its runtime before any other TF work.
  strategy = distribution.strategy_for(config.training.distribution)
  workdir = workdir if isinstance(workdir, Workdir) else Workdir(workdir)
  exact_stream = datasets is None
  datasets = datasets or (lambda start: _datasets(config, start))
  if distribution.is_worker_copy(workdir):  # An app's (distribution.process_workdir).
    return _train(config, workdir, strategy, 0, extra_callbacks, warm_start_from, datasets,
                  exact_stream)
  if not distribution.is_chief(strategy):
    # Another worker runs the same steps and callbacks (and the same warm start, or its
    # replicas would differ from the chief's), writing to a copy that is then deleted:
    # only the chief writes the workdir (TensorFlow's multi-worker guide).
    with distribution.process_workdir(workdir, config.training.distribution,
                                      overwrite) as copy:
      return _train(config, copy, strategy, 0, extra_callbacks, warm_start_from, datasets,
                    exact_stream)
  workdir.create(overwrite=overwrite)
  # Held to the end: a second process on this workdir would interleave its
  # backups and history rows with ours and delete our temporaries as stale.
  with workdir.lock():
    workdir.remove_stale_temporaries()
    return _train(config, workdir, strategy, fit_verbosity(verbose), extra_callbacks,
                  warm_start_from, datasets, exact_stream)


def _train(config, workdir, strategy, verbose, extra_callbacks, warm_start_from, datasets,
           exact_stream):
  """`train` with the workdir locked: the steps of a run, in order."""
  keras.utils.set_random_seed(config.seed)
  start = _starting_point(config, workdir, warm_start_from)
  if start.resumed:
    _check_loss_scaling(config, workdir)
  clock = RunClock(workdir)
  train_data, valid_data, info, steps_per_epoch = datasets(start)
  model = _compiled_model(config, strategy, info, steps_per_epoch)
  workdir.check_disk(_bytes_needed(model))
  run.check_conditioning(config, info, model)
  workdir.write_config(config, info, model.get_config())
  if warm_start_from and not start.resumed:
    with model.distribute_strategy.scope():
      record = warm_start(model, warm_start_from, workdir)
    if verbose:
      print(f"warm start from {record['source_workdir']} at epoch {record['source_epoch']} "
            f"(batch {record['source_batch']})")
  _fit(model, config, workdir, train_data, valid_data, info, start, clock, verbose,
       extra_callbacks, steps_per_epoch, exact_stream)
  return _write_summary(config, workdir, info, start, clock)


def _starting_point(config, workdir, warm_start_from):
  """The run's `_Start`: its backup's position, and a shuffle seed of its own."""
  epoch, batch = workdir.read_backup_position()
  resumed = bool(epoch or batch)
  check_warm_start_flag(workdir, warm_start_from, resumed)
  if warm_start_from and not resumed:  # Nor the source's orders.
    position = source_position(warm_start_from)
    seed = resume_seed(config.seed, position["epoch"], position["batch"])
    return _Start(epoch, batch, seed, step=0, stream_seed=seed)
  step = workdir.read_backup_step() if resumed else 0
  return _Start(epoch, batch, resume_seed(config.seed, epoch, batch), step=step,
                stream_seed=config.seed)


def _check_loss_scaling(config, workdir):
  """Refuses to resume across mixed_float16 and the others: the backup's optimizer state has
  (or lacks) the loss scale, and Keras would restore none of it, schedule position included."""
  previous = workdir.read_config()[0].training.get("precision", "float32")
  current = config.training.get("precision", "float32")
  if (previous == "mixed_float16") != (current == "mixed_float16"):
    raise ValueError(f"{workdir.path} was trained with training.precision={previous}; resume it "
                     f"with that precision (mixed_float16 keeps a loss scale in its optimizer "
                     f"state, the others do not), or start afresh with --overwrite")


def _datasets(config, start):
  """(train stream, valid dataset, DatasetInfo, steps per epoch).

  The train stream is endless: pass p over the training split in an order of its own,
  seeded by (start.stream_seed, p), one pass after another, batched within each pass. It
  starts at the backup's global step, so a resumed run sees the batches an unbroken run
  would have seen, in the same order. A backup from an older tfgen (no global step)
  resumes with orders of its own instead.
  """
  batch_size = int(config.data.batch_size)
  valid_data, _ = run.load_split(config, "valid", shuffle=False)
  valid_data = run.as_fit_inputs(valid_data, config)
  if start.step is None:
    train_data, info = run.load_split(config, "train", seed=start.shuffle_seed)
    train_data = run.as_fit_inputs(train_data, config).repeat()
  else:
    ordered, info = run.load_split(config, "train", shuffle=False)
    num_examples = info.num_examples
    examples = next(iter(ordered.unbatch().batch(num_examples)))  # All, in memory.
    first_pass, offset = divmod(start.step, math.ceil(num_examples / batch_size))

    def one_pass(index):
      seed = tf.stack([tf.constant(start.stream_seed, tf.int64), index])
      order = tf.argsort(tf.random.stateless_uniform([num_examples], seed=seed))
      return tf.data.Dataset.from_tensor_slices(order).batch(batch_size).map(
          lambda ids: tf.nest.map_structure(lambda values: tf.gather(values, ids), examples))

    train_data = tf.data.Dataset.counter(first_pass).flat_map(one_pass).skip(offset).apply(
        tf.data.experimental.assert_cardinality(tf.data.INFINITE_CARDINALITY))
    train_data = run.as_fit_inputs(train_data, config).prefetch(tf.data.AUTOTUNE)
  steps_per_epoch = int(config.training.steps_per_epoch) or math.ceil(
      info.num_examples / batch_size)
  return train_data, valid_data, info, steps_per_epoch


def _compiled_model(config, strategy, info, steps_per_epoch):
  """The model, built and compiled in the distribution strategy's scope."""
  jit_compile = bool(config.training.jit_compile)
  precision = config.training.get("precision", "float32")
  with strategy.scope(), _dtype_policy(precision):
    model = models.build(config.model, config.head, info)
    model.build((None,) + tuple(info.shape))
    if jit_compile and model.get_config().get("training_matmul_dtype") == "bfloat16":
      warnings.warn("model.training_matmul_dtype=bfloat16 with training.jit_compile=True: XLA's "
                    "CPU matmuls do not use the bfloat16 units, so these steps are slower than "
                    "float32 ones; set training.jit_compile=False.", stacklevel=4)
    total_steps = steps_per_epoch * int(config.training.num_epochs)
    model.compile_for_training(lambda num_steps: _optimizer(config.optimizer, num_steps,
                                                            precision),
                               total_steps, jit_compile=jit_compile)
    if isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
      _log_vectors(model)
  return model


@contextlib.contextmanager
def _dtype_policy(precision):
  """Keras's global dtype policy set to `precision` while the model is made, then restored.

  Under "mixed_*" each layer computes in 16 bits and keeps float32 weights; the heads
  cast what the networks emit to float32 (`heads.head.as_float32`).
  """
  previous = keras.config.dtype_policy()
  keras.config.set_dtype_policy(precision)
  try:
    yield
  finally:
    keras.config.set_dtype_policy(previous)


def _optimizer(optimizer_config, num_steps, precision):
  """`build_optimizer`'s optimizer; under mixed_float16 inside a dynamic loss scale, which
  keeps small float16 gradients from rounding to zero and skips steps that overflow."""
  optimizer = build_optimizer(optimizer_config, num_steps)
  if precision == "mixed_float16":
    optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
  return optimizer


def _bytes_needed(model):
  """About what a run writes: the best weights and a backup with optimizer slots, each twice
  while its temporary is written, and 16 MB of logs and pictures."""
  weight_bytes = sum(int(np.prod(weight.shape)) * 4 for weight in model.weights)
  return 8 * weight_bytes + 16 * 2**20


def _log_vectors(model):
  """Makes the model's steps log [1] vectors instead of scalars, for multi-worker training.

  Across workers Keras (3.15) reduces each logged value with
  `strategy.reduce("MEAN", value, axis=0)`, whatever `distribute_reduction_method`
  says, and a scalar has no axis 0. The values are metric results, the same on
  every replica, so their mean over that axis is the value itself.
  """
  for name in ("train_step", "test_step"):
    step = getattr(model, name)
    setattr(model, name, lambda data, step=step: tf.nest.map_structure(
        lambda value: tf.reshape(value, [1]), step(data)))


def _callbacks(config, workdir, info, model, clock, extra_callbacks, start, steps_per_epoch,
               exact_stream):
  """(callbacks, early stopping or None); the backup comes last, so an epoch counts as done
  only after its checkpoint and history row are written. The non-finite guard comes first, so
  a NaN step raises before anything is written from it."""
  hint = (f"Lower optimizer.learning_rate (now {config.optimizer.learning_rate}), set "
          "optimizer.clipnorm, or check the data for NaN.")
  callbacks = [NonFiniteGuard(workdir.read_backup_position, hint)]
  if getattr(model, "num_masks", 1) > 1:
    callbacks.append(MaskCycler(int(config.training.steps_per_mask)))
  if model.num_epoch_samples:
    # First: it adds sample_diversity to the logs the CSV logger writes.
    workdir.create_samples_dir()
    callbacks.append(SampleMonitor(workdir.epoch_samples_path, _real_examples(config, 256),
                                   info.num_values, model.num_epoch_samples, seed=config.seed))
  callbacks += list(extra_callbacks) + [
      BestCheckpoint(workdir.best_weights_path, workdir.best_record_path,
                     monitor=model.checkpoint_monitor),
      keras.callbacks.CSVLogger(workdir.history_path, append=True),
      keras.callbacks.TensorBoard(workdir.logs_dir),
      _PlotCurves(workdir, f"{config.model.name} on {info.name}"),
  ]
  early_stopping = None
  if int(config.training.early_stopping_patience) > 0 and model.checkpoint_monitor is None:
    raise ValueError(f"{config.model.name} has no validation loss to stop early on: set "
                     "training.early_stopping_patience=0")
  if int(config.training.early_stopping_patience) > 0:
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=int(config.training.early_stopping_patience))
    callbacks.append(early_stopping)
  start_step = start.step if start.step is not None else start.epoch * steps_per_epoch
  if exact_stream:
    callbacks.append(_StopAtStep(int(config.training.num_epochs) * steps_per_epoch, start_step))
  callbacks.append(ResumableBackup(workdir.backup_weights_path, workdir.backup_metadata_path,
                                   save_freq=int(config.training.steps_per_backup) or "epoch",
                                   on_save=clock.save, hint=hint, start_step=start_step))
  return callbacks, early_stopping


def _real_examples(config, num_examples):
  """Up to `num_examples` validation examples on the data's scale (no labels)."""
  for batch, _ in run.split_batches(config, "valid", num_examples):
    return batch.numpy()
  raise ValueError(f"{config.data.name} has an empty validation split")


def _fit(model, config, workdir, train_data, valid_data, info, start, clock, verbose,
         extra_callbacks, steps_per_epoch, exact_stream):
  """Runs `fit` for the epochs left; records where early stopping ended it.

  An endless training stream (infinite cardinality: `repeat()` or
  `Dataset.counter`) takes `steps_per_epoch` steps an epoch; a finite one,
  however long, is one pass. With `exact_stream` (tfgen.data's stream, which
  resumes at the backup's step), training stops after num_epochs *
  steps_per_epoch steps in all: Keras restarts an interrupted epoch from its
  start, so after a mid-epoch backup the epochs end that many steps later, and
  the last one is cut short.
  """
  num_epochs = int(config.training.num_epochs)
  stopped = workdir.read_stopped_early()
  if stopped and stopped["num_epochs"] == num_epochs:
    if verbose:
      print(f"{workdir.path} stopped early at epoch {stopped['epoch']} (validation NLL stalled); "
            f"nothing to train")
    return
  if verbose and start.epoch >= num_epochs:
    print(f"{workdir.path} has finished its {num_epochs} epochs; nothing to train")
  elif verbose and start.epoch:
    print(f"resuming {workdir.path} at epoch {start.epoch + 1} of {num_epochs}")
  callbacks, early_stopping = _callbacks(config, workdir, info, model, clock, extra_callbacks,
                                         start, steps_per_epoch, exact_stream)
  model.fit(train_data, validation_data=valid_data, epochs=num_epochs, callbacks=callbacks,
            steps_per_epoch=steps_per_epoch if _endless(train_data) else None, verbose=verbose,
            shuffle=False)
  if early_stopping is not None and early_stopping.stopped_epoch > 0:
    workdir.write_stopped_early(early_stopping.stopped_epoch + 1, num_epochs)


def _endless(dataset):
  return int(dataset.cardinality()) == int(tf.data.INFINITE_CARDINALITY)


def _write_summary(config, workdir, info, start, clock):
  """Writes and returns the run's summary: best epoch and NLL, minutes (all runs and this one)."""
  best = workdir.read_best()
  summary = {"model": config.model.name, "dataset": info.name,
             "epochs": int(config.training.num_epochs), "resumed_from_epoch": start.epoch,
             "best_epoch": best.get("epoch"), "best_val_nll_nats": best.get("val_loss"),
             "minutes_this_run": round(clock.minutes_this_run(), 2),
             "cpu_minutes_this_run": round(clock.cpu_minutes_this_run(), 2)}
  warm_started = workdir.read_warm_start()
  if warm_started is not None:
    summary["warm_start"] = warm_started  # Its minutes are not in ours.
  # Wall-clock and CPU minutes of every run of this workdir together, killed ones included.
  summary.update(clock.save())
  workdir.write_summary(summary)
  return summary
