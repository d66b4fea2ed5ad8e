"""Cycles a MADE through its masks during training (connectivity-agnostic training)."""

import keras


class MaskCycler(keras.callbacks.Callback):
  """Every `every_n_steps` training steps, moves the model to its next mask.

  Validation always uses mask 0, so validation losses of different epochs
  compare like with like.

  Args:
    every_n_steps: steps between mask changes.

  Reference: Germain et al., "MADE", ICML 2015, section 4 (connectivity-agnostic
  training); Uria et al., "A Deep and Tractable Density Estimator", ICML 2014
  (order-agnostic training).
  """

  def __init__(self, every_n_steps=1):
    super().__init__()
    if int(every_n_steps) < 1:
      raise ValueError(f"every_n_steps must be >= 1, got {every_n_steps}")
    self.every_n_steps = int(every_n_steps)

  def on_train_batch_begin(self, batch, logs=None):
    # The optimizer's step count survives a resume, so the cycle continues where it was.
    step = int(self.model.optimizer.iterations.numpy())
    self.model.use_mask(step // self.every_n_steps)

  def on_test_begin(self, logs=None):
    self.model.use_mask(0)

  def on_train_end(self, logs=None):
    self.model.use_mask(0)
