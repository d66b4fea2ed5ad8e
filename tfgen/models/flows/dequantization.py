"""From discrete pixels to a continuous density and back: uniform dequantization and the logit transform.

For x in {0..K-1}^D and u ~ U[0, 1)^D, y = (x + u) / K lies in [0, 1)^D and

  log P(x) >= E_u[log p_y(y)] - D log K               (Theis et al. 2016)

The logit transform w = logit(a + (1 - 2a) y) maps [0, 1) to the real line
(a keeps it finite) with

  log |dw/dy| = sum_i [log(1 - 2a) - log v_i - log(1 - v_i)],  v = a + (1 - 2a) y.
"""

import math

import tensorflow as tf

from tfgen.heads import sampling


def dequantize(x, num_values, noise=None, seed=None):
  """(y = (x + u) / K, log |dy/dx| = -D log K per example).

  Args:
    x: integers 0..K-1 (any float or int dtype), [batch, ...].
    num_values: K.
    noise: u of x's shape in [0, 1); drawn with `seed` when None.
  """
  x = tf.cast(x, tf.float32)
  noise = sampling.uniform(tf.shape(x), seed) if noise is None else noise
  num_dims = tf.cast(tf.reduce_prod(tf.shape(x)[1:]), tf.float32)
  return (x + noise) / num_values, -num_dims * math.log(num_values) * tf.ones([tf.shape(x)[0]])


def logit(y, alpha):
  """(w = logit(alpha + (1 - 2 alpha) y), log |dw/dy| per example)."""
  squeezed = alpha + (1.0 - 2.0 * alpha) * y
  w = tf.math.log(squeezed) - tf.math.log1p(-squeezed)
  log_det = (math.log(1.0 - 2.0 * alpha) - tf.math.log(squeezed) - tf.math.log1p(-squeezed))
  return w, tf.reduce_sum(tf.reshape(log_det, [tf.shape(y)[0], -1]), axis=-1)


def inverse_logit(w, alpha):
  """y with logit(w, alpha)[0] == w, clipped to [0, 1]."""
  return tf.clip_by_value((tf.sigmoid(w) - alpha) / (1.0 - 2.0 * alpha), 0.0, 1.0)


def quantize(y, num_values):
  """Values in [0, 1] back to integers 0..K-1 (as float32)."""
  return tf.clip_by_value(tf.floor(y * num_values), 0.0, float(num_values - 1))
