"""Trains a motion model on windows of a source through tfgen's trainer (resumable, one workdir)."""

import keras
import numpy as np
import tensorflow as tf

from apps.motion_prediction import benchmark
from apps.motion_prediction import configs
from apps.motion_prediction import forecaster as forecaster_lib
from apps.motion_prediction import motion_data
from apps.motion_prediction.normalizer import Normalizer
from apps.motion_prediction.windows import WindowSource
from tfgen import data
from tfgen.configs import common
from tfgen.training import distribution
from tfgen.training import train_lib


class ValidationPrinter(keras.callbacks.Callback):
  """After each epoch: the Euler-angle error of point forecasts on the validation windows,
  beside zero velocity's on the same windows."""

  def __init__(self, normalizer, windows, action_ids, num_observed, print_fn=print):
    super().__init__()
    self.normalizer = normalizer
    self.windows, self.action_ids = windows, action_ids
    self.num_observed = num_observed
    self.print_fn = print_fn
    self.baseline = forecaster_lib.validation_errors(benchmark.zero_velocity, windows, num_observed)

  def on_epoch_end(self, epoch, logs=None):
    forecaster = forecaster_lib.Forecaster(self.model, self.normalizer)

    def forecast(observed, num_frames):
      if not self.model.num_conditions:
        return forecaster(observed, num_frames)
      return np.concatenate([
          forecaster.for_action(int(action))(observed[index:index + 1], num_frames)
          for index, action in enumerate(self.action_ids)])

    errors = forecaster_lib.validation_errors(forecast, self.windows, self.num_observed)
    cells = ", ".join(f"{ms} ms {error:.3f} (zero velocity {self.baseline[ms]:.3f})"
                      for ms, error in errors.items())
    self.print_fn(f"epoch {epoch + 1} validation Euler error: {cells}")
    if logs is not None:
      logs.update({f"val_euler_{ms}ms": error for ms, error in errors.items()})


def make_config(model="residual_gru", source="synthetic", overrides=None, small=False):
  """The run's config: the model's preset, the data source, then `overrides`."""
  config = configs.get_config(model)
  config.data.source = source  # As given.
  if small:
    configs.small(config)
  common.apply_overrides(config, overrides)
  if int(config.model.num_observed):
    # The sampling-based loss starts where the windows' observed frames end.
    config.model.num_observed = int(config.data.num_observed)
  return config


def train(source, model="residual_gru", workdir="runs/motion", overrides=None, verbose="auto",
          small=False, overwrite=False):
  """Trains (or resumes) a motion model; returns the run's summary.

  Args:
    source: cmu:ROOT, h36m:ROOT, bvh:PATH or synthetic (`motion_data`).
    model: residual_gru, seq2seq or mdn (`configs`).
    workdir: run folder; it keeps the normalisation statistics and everything
      `tfgen.train` writes (config, best weights, backups, history).
    overrides: {config field: value}, e.g. {"training.num_epochs": 2}.
    verbose: Keras verbosity ("auto": a progress bar on a terminal); 0 silences the printer.
    small: the narrow, short preset of the demo and tests.
    overwrite: delete the run already in `workdir` and start afresh (a folder that
      is not a workdir is refused).
  """
  with distribution.process_workdir(workdir, distribution.requested(overrides),
                                    overwrite) as run_dir:
    return _train(source, model, run_dir, overrides, verbose, small, overwrite)


def _train(source, model, run_dir, overrides, verbose, small, overwrite):
  """`train` writing to `run_dir`: the workdir, or a non-chief worker's copy of it."""
  config = make_config(model, source, overrides, small)
  length = int(config.data.num_observed) + int(config.data.num_target)
  train_split = motion_data.load(source, "train", length)
  valid_split = motion_data.load(source, "valid", length)
  run_dir.create(overwrite=overwrite)
  normalizer = _normalizer(run_dir, train_split, float(config.data.min_scale))
  with_labels = bool(config.data.with_labels)
  actions = sorted(train_split.clips)
  if with_labels:
    config.model.num_conditions = len(actions)
  train_windows = WindowSource(_normalized(train_split, normalizer), length, "train", actions)
  valid_clips = {action: clips for action, clips in valid_split.clips.items()
                 if action in actions or not with_labels}
  valid_source = WindowSource(_normalized(motion_data.MotionData(
      valid_clips, valid_split.skeleton, source), normalizer), length, "valid", actions)
  valid_values, valid_actions = valid_source.fixed(int(config.data.num_valid_windows), config.seed)
  info = data.DatasetInfo(name=f"motion:{source}", split="train",
                          shape=(length, normalizer.num_modelled), num_values=None,
                          num_examples=train_windows.num_windows,
                          num_classes=len(actions) if with_labels else None,
                          class_names=tuple(actions) if with_labels else None, source=source)
  batch_size, steps = int(config.data.batch_size), int(config.training.steps_per_epoch)

  def datasets(start):
    # A run resumed mid-epoch repeats that epoch from its start, as Keras does.
    first = start.epoch * steps * batch_size
    train = train_windows.stream(config.seed, first, with_labels).batch(batch_size,
                                                                        drop_remainder=True)
    valid = (valid_values, valid_actions) if with_labels else valid_values
    valid = tf.data.Dataset.from_tensor_slices(valid).batch(batch_size)
    if with_labels:
      train = train.map(lambda x, labels: ((x, labels),))
      valid = valid.map(lambda x, labels: ((x, labels),))
    return train.prefetch(2), valid, info, steps

  valid_frames = normalizer.denormalize(valid_values, _reference_frames(valid_values, normalizer))
  printer = ValidationPrinter(normalizer, valid_frames, valid_actions,
                              int(config.data.num_observed),
                              print_fn=print if verbose else (lambda _: None))
  return train_lib.train(config, run_dir, verbose=verbose, extra_callbacks=[printer],
                         datasets=datasets)


def _normalizer(run_dir, train_split, min_scale):
  """The run's statistics: fitted on the training frames, or read back when resuming."""
  fitted = Normalizer.fit(train_split.all_clips(), min_scale)
  try:
    saved = Normalizer.load(run_dir.path)
  except data.DataError:
    fitted.save(run_dir.path)
    return fitted
  if (not np.array_equal(saved.modelled, fitted.modelled)
      or not np.allclose(saved.mean, fitted.mean) or not np.allclose(saved.std, fitted.std)):
    raise data.DataError(f"{run_dir.path} was trained with other normalisation statistics (other "
                         "data, or another data.min_scale); use a new workdir")
  return saved


def _normalized(split, normalizer):
  return {action: [normalizer.normalize(clip) for clip in clips]
          for action, clips in split.clips.items()}


def _reference_frames(values, normalizer):
  """Frames [N, F] to complete normalised windows with: the training mean (root values unused)."""
  return np.broadcast_to(normalizer.mean, (len(values), normalizer.num_features))
