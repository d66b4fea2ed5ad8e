"""Keeps the weights with the lowest validation loss, written atomically."""

import math
import os

import keras

from tfgen.utils import atomic


class BestCheckpoint(keras.callbacks.Callback):
  """Saves the weights whenever `monitor` improves, with a JSON record of it.

  The record holds the epoch and the value, and carries the best value across
  resumed runs.

  Args:
    path: where the weights go, ending in .weights.h5.
    record_path: the JSON record {"epoch", monitor}.
    monitor: the logged value to minimise; None saves every epoch (the latest
      counts as the best), for models whose losses do not rank them (GANs).
  """

  def __init__(self, path, record_path, monitor="val_loss"):
    super().__init__()
    if not path.endswith(".weights.h5"):
      raise ValueError(f"BestCheckpoint path must end in .weights.h5, got {path}")
    self.path, self.record_path, self.monitor = path, record_path, monitor
    self.best = math.inf
    if monitor is not None and os.path.exists(self.record_path):
      try:
        self.best = float(atomic.read_json(self.record_path)[monitor])
      except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{self.record_path}: corrupt best-checkpoint record ({error})") from None

  def on_epoch_end(self, epoch, logs=None):
    if self.monitor is None:
      self._save(epoch, {})
      return
    value = (logs or {}).get(self.monitor)
    if value is None or not math.isfinite(value) or value >= self.best:
      return
    self.best = float(value)
    self._save(epoch, {self.monitor: self.best})

  def _save(self, epoch, record):
    with atomic.atomic_path(self.path) as temporary:
      self.model.save_weights(temporary, overwrite=True)
    atomic.write_json(self.record_path, {"epoch": epoch + 1, **record})
