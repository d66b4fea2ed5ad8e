"""Base class of the coupling layers of NICE and RealNVP: a fixed mask and a conditioner network."""

import keras
import numpy as np
import tensorflow as tf


def checkerboard_mask(height, width, channels, parity=0):
  """[H, W, C] float mask, 1 on pixels with (row + column) % 2 == parity."""
  rows, columns = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
  board = ((rows + columns) % 2 == parity).astype(np.float32)
  return np.repeat(board[..., None], channels, axis=-1)


def channel_mask(height, width, channels, parity=0):
  """[H, W, C] float mask, 1 on the first (parity 0) or last (parity 1) half of the channels."""
  if channels < 2:
    raise ValueError(f"a channel mask needs >= 2 channels, got {channels}")
  kept = np.zeros(channels, np.float32)
  half = channels // 2
  if parity == 0:
    kept[:half] = 1.0
  else:
    kept[half:] = 1.0
  return np.broadcast_to(kept, (height, width, channels)).copy()


def alternating_mask(size, parity=0):
  """[D] float mask, 1 on even (parity 0) or odd (parity 1) indices."""
  return (np.arange(size) % 2 == parity).astype(np.float32)


class Coupling(keras.layers.Layer):
  """y = x on the kept entries (mask = 1); the others change as a function of the kept ones.

  The conditioner sees x * mask only, so the Jacobian is triangular and the
  kept entries make the change invertible. For a vector event ([batch, D]) it
  is an MLP, for an image ([batch, H, W, C]) a stack of 3x3 convolutions. Its
  last layer starts at zero, so a new coupling is the identity.

  Subclasses set `outputs_per_entry`, the conditioner's outputs per event
  entry (1: a shift; 2: a shift and a log-scale).

  Args:
    mask: float array of the event's shape, 1 where x passes unchanged.
    hidden_units: sizes (MLP units or conv filters) of the conditioner's hidden layers.
  """

  outputs_per_entry = 1

  def __init__(self, mask, hidden_units=(256, 256), **kwargs):
    super().__init__(**kwargs)
    mask = np.asarray(mask, np.float32)
    if mask.ndim not in (1, 3):
      raise ValueError(f"a coupling mask is [D] or [H, W, C], got shape {mask.shape}")
    if not np.all((mask == 0) | (mask == 1)) or mask.min() == mask.max():
      raise ValueError("a coupling mask must hold both 0s and 1s and nothing else")
    self.mask_values = mask
    self.hidden_units = tuple(int(units) for units in hidden_units)
    channels = mask.shape[-1]
    if mask.ndim == 1:
      layers = [keras.layers.Dense(units, activation="relu") for units in self.hidden_units]
      layers.append(keras.layers.Dense(channels * self.outputs_per_entry, kernel_initializer="zeros"))
    else:
      layers = [keras.layers.Conv2D(filters, 3, padding="same", activation="relu")
                for filters in self.hidden_units]
      layers.append(keras.layers.Conv2D(channels * self.outputs_per_entry, 3, padding="same",
                                        kernel_initializer="zeros"))
    self.conditioner = keras.Sequential(layers, name="conditioner")

  @property
  def input_dtype(self):
    """float32: the data path of a flow stays in float32 under a mixed-precision policy;
    only the conditioner computes in 16 bits."""
    return "float32"

  def build(self, input_shape):
    self.conditioner.build(tuple(input_shape))

  @property
  def mask(self):
    """The mask as a constant of the graph being traced."""
    return tf.constant(self.mask_values)

  def conditioner_outputs(self, x):
    """Conditioner outputs from the kept entries: outputs_per_entry tensors of x's shape."""
    outputs = self.conditioner(x * self.mask)
    # In float32 whatever the conditioner computes in: the flow's change of variables is.
    return tf.split(tf.cast(outputs, tf.float32), self.outputs_per_entry, axis=-1)

  def _sum_event(self, values):
    return tf.reduce_sum(tf.reshape(values, [tf.shape(values)[0], -1]), axis=-1)

  def get_config(self):
    config = super().get_config()
    config.update(mask=self.mask_values.tolist(), hidden_units=list(self.hidden_units))
    return config
