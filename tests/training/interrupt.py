"""A callback that stops training after N steps, as a kill would."""

import keras


class Interrupted(Exception):
  """What `Interrupt` raises, as a kill would stop the process."""


class Interrupt(keras.callbacks.Callback):
  """Raises `Interrupted` after `num_steps` training steps of this run."""

  def __init__(self, num_steps):
    super().__init__()
    self.num_steps = num_steps

  def on_train_batch_end(self, batch, logs=None):
    self.num_steps -= 1
    if self.num_steps == 0:
      raise Interrupted
