"""Stops training at the first NaN or inf loss, naming the step and the terms."""

import keras
import numpy as np


class NonFiniteLossError(ValueError):
  """A training or validation loss, or the weights, went NaN or inf."""


def stopped_message(what, backup_position, hint=""):
  """One line: what went non-finite, what the workdir keeps, what to change."""
  epoch, batch = backup_position
  kept = (f"The workdir keeps its backup at epoch {epoch}, batch {batch}, and its best "
          "checkpoint; a rerun resumes from them." if epoch or batch
          else "The workdir has no backup yet; a rerun starts afresh.")
  return f"{what}, and training stopped. {kept} {hint}".strip()


class NonFiniteGuard(keras.callbacks.Callback):
  """Raises `NonFiniteLossError` at the first logged loss term that is not finite.

  The optimizers (`FiniteUpdates`) have already refused that step's update.
  Place this callback first: it raises before a later callback writes a
  backup, a history row or a best checkpoint from that step, so the workdir
  keeps its last good backup and a rerun resumes from it.

  Keras logs running means over the epoch, so a term that went non-finite
  stays so until the epoch ends: the first step that shows it is the one.

  Args:
    backup_position: () -> (epoch, batch) of the workdir's backup, for the message.
    hint: what the user might change, appended to the message.
  """

  def __init__(self, backup_position, hint=""):
    super().__init__()
    self.backup_position, self.hint = backup_position, hint
    self._epoch = 0

  def on_epoch_begin(self, epoch, logs=None):
    self._epoch = epoch

  def on_train_batch_end(self, batch, logs=None):
    self._check(logs, f"epoch {self._epoch + 1}, step {batch + 1}",
                "the update of that step was not applied")

  def on_epoch_end(self, epoch, logs=None):
    self._check(logs, f"epoch {epoch + 1}, at its end", "no checkpoint was written from it")

  def _check(self, logs, where, consequence):
    bad = {name: value for name, value in (logs or {}).items() if not _finite(value)}
    if bad:
      terms = ", ".join(f"{name}={value}" for name, value in sorted(bad.items()))
      raise NonFiniteLossError(stopped_message(
          f"{where}: {terms} went non-finite; {consequence}", self.backup_position(), self.hint))


def _finite(value):
  try:
    array = np.asarray(value, dtype=np.float64)
  except (TypeError, ValueError):
    return True  # Not a number: nothing to check.
  return bool(np.all(np.isfinite(array)))
