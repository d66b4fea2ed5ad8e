"""BackupAndRestore whose every write is atomic, at paths the workdir names."""

import json
import os

import keras
import numpy as np
import tensorflow as tf

from tfgen.training.non_finite_guard import NonFiniteLossError
from tfgen.training.non_finite_guard import stopped_message
from tfgen.utils.atomic import atomic_path


class ResumableBackup(keras.callbacks.BackupAndRestore):
  """Keras' BackupAndRestore, writing weights and metadata by rename.

  A `kill -9` at any moment leaves the previous complete backup in place, so
  rerunning the same training command continues from it. The backup is kept at
  the end of training, so rerunning a finished command does no work.

  This is the one place that reaches into Keras's callback: Keras restores a
  backup through the model's private `_initial_epoch`, which only its own
  BackupAndRestore sets, and it offers no public hook for how a backup is
  written. So this class subclasses it and overrides its private `_save_model`
  and file paths (`_weights_path`, `_training_metadata_path`), which it reads
  back on restore; `tests/training/test_train_lib.py` checks the round trip.

  Args:
    weights_path: the backup's weights (a .weights.h5 in its own folder).
    metadata_path: the backup's {"epoch", "batch", "global_step"} JSON (Keras reads the
      epoch; "global_step" counts the steps of every run, where the data stream resumes).
    save_freq: "epoch" or a number of training steps between backups.
    on_save: called with no arguments after each complete backup (None = nothing).
    hint: what the user might change when the weights go non-finite (a backup of
      them is refused with a `NonFiniteLossError`).
    start_step: the global step of the backup this run resumes from (0 for a new run).
  """

  def __init__(self, weights_path, metadata_path, save_freq="epoch", on_save=None, hint="",
               start_step=0):
    super().__init__(os.path.dirname(weights_path), save_freq=save_freq, delete_checkpoint=False)
    self._weights_path, self._training_metadata_path = weights_path, metadata_path
    self.on_save, self.hint = on_save, hint
    self.global_step = int(start_step)

  def _metadata(self):
    """The backup's metadata on disk; {} when there is none."""
    if not os.path.exists(self._training_metadata_path):
      return {}
    with open(self._training_metadata_path, encoding="utf-8") as handle:
      return json.load(handle)

  def _position(self):
    """(epoch, batch) of the backup on disk; (0, 0) when there is none."""
    metadata = self._metadata()
    return int(metadata.get("epoch", 0)), int(metadata.get("batch", 0))

  def on_train_begin(self, logs=None):
    super().on_train_begin(logs)  # Keras loads the weights and the epoch.
    # Keras keeps the states of seed generators (a VAE's noise, dropout) out of the weights;
    # the backup keeps them, so a resumed run draws the noise an unbroken one would.
    states = self._metadata().get("seed_states", [])
    generators = _seed_generators(self.model)
    if len(states) == len(generators):
      for generator, state in zip(generators, states):
        generator.state.assign(np.asarray(state, generator.state.dtype))

  def on_epoch_begin(self, epoch, logs=None):
    # A mid-epoch backup must name this epoch, also in the first epoch of a resumed run.
    self._current_epoch = epoch

  def on_train_batch_end(self, batch, logs=None):
    self.global_step += 1
    # An epoch's last step is backed up by `on_epoch_end`, after validation; saving it
    # here as well would write the same weights twice (600 MB more for a 2x8000 MADE).
    num_steps = (self.params or {}).get("steps")
    if num_steps and batch + 1 >= num_steps:
      return
    super().on_train_batch_end(batch, logs)

  def on_epoch_end(self, epoch, logs=None):
    # Also with a step frequency: the backup at an epoch's end says the epoch is done,
    # and the step count to the next backup starts again from it.
    self._current_epoch = epoch + 1
    self._last_batch_seen = 0
    self._batches_seen_since_last_saving = 0
    self._save_model(where=f"epoch {epoch + 1}, at its end")

  def _save_model(self, where=None):
    # A finite step can still overflow the weights (an absurd learning rate); such a
    # backup would be resumed from forever, so it is refused and the last good one kept.
    bad = [weight.path for weight in self.model.weights if weight.dtype.startswith("float")
           and not bool(tf.reduce_all(tf.math.is_finite(weight)))]
    if bad:
      raise NonFiniteLossError(stopped_message(
          f"{where or f'epoch {self._current_epoch + 1}, step {self._last_batch_seen + 1}'}: "
          f"the weights went non-finite ({', '.join(bad[:3])}{', ...' if len(bad) > 3 else ''}); "
          "no backup was written from them", self._position(), self.hint))
    os.makedirs(self.backup_dir, exist_ok=True)
    # Weights first: if the metadata write is lost, the next run repeats part of
    # an epoch from slightly newer weights, which is harmless.
    with atomic_path(self._weights_path) as temporary:
      self.model.save_weights(temporary, overwrite=True)
    with atomic_path(self._training_metadata_path) as temporary:
      with open(temporary, "w", encoding="utf-8") as handle:
        json.dump({"epoch": self._current_epoch, "batch": self._last_batch_seen,
                   "global_step": self.global_step,
                   "seed_states": [np.asarray(generator.state.numpy()).tolist()
                                   for generator in _seed_generators(self.model)]}, handle)
    if self.on_save is not None:
      self.on_save()


def _seed_generators(model):
  """The model's and its layers' Keras seed generators, in a fixed order."""
  return [generator for layer in [model, *model._flatten_layers(include_self=False)]  # pylint: disable=protected-access
          for generator in getattr(layer, "_seed_generators", [])]
