"""Shared checks of the image layers: which input pixels each output pixel sees."""

import numpy as np
import tensorflow as tf


def pixel_dependencies(layer, height=6, width=6, channels=2, auxiliary=None):
  """D[r, c] = bool [H_in, W_in]: the input pixels output pixel (r, c) has a gradient from.

  `layer` is called on seeded normal inputs [1, height, width, channels] (and `auxiliary`).
  """
  x = tf.random.stateless_normal([1, height, width, channels], seed=[1, 2])
  with tf.GradientTape() as tape:
    tape.watch(x)
    outputs = layer(x)[0] if auxiliary is None else layer(x, auxiliary)[0]
  jacobian = tape.jacobian(outputs, x).numpy()                    # [H', W', O, 1, H, W, C]
  return np.abs(jacobian).sum(axis=(2, 3, 6)) > 0
