"""Importance-weighted estimates of log p(x) for latent-variable models, streamed in chunks."""

import math

import numpy as np
import tensorflow as tf

from tfgen.heads import sampling


def log_likelihood(model, x, num_samples=5000, chunk_size=500, condition=None, seed=None):
  """log p(x) ~= log (1/K) sum_{i<=K} p(x, z_i) / q(z_i | x),  z_i ~ q(z | x): [batch] nats.

  The estimate is the IWAE bound with K samples: a lower bound in expectation
  that tightens as K grows (Burda et al. 2016). The K log-weights are made
  `chunk_size` at a time and folded into a running log-sum-exp (max and scaled
  sum), so memory stays at one chunk whatever K is.

  Args:
    model: a `VAE` (anything with `log_weights(x, k, condition, seed)`).
    x: [batch, *event_shape].
    num_samples: K >= 1.
    chunk_size: samples per chunk (memory ~ chunk_size x batch decoder outputs).
    condition: labels for a conditional model.
    seed: None, or an int for a repeatable estimate.
  """
  num_samples, chunk_size = int(num_samples), int(chunk_size)
  if num_samples < 1 or chunk_size < 1:
    raise ValueError(f"num_samples and chunk_size must be >= 1, got {num_samples}, {chunk_size}")
  x = tf.convert_to_tensor(x, tf.float32)
  condition = model.as_condition(condition)
  seeds = sampling.split(seed, math.ceil(num_samples / chunk_size))
  running_max = tf.fill([tf.shape(x)[0]], -np.inf)
  running_sum = tf.zeros([tf.shape(x)[0]])
  for index, start in enumerate(range(0, num_samples, chunk_size)):
    size = min(chunk_size, num_samples - start)
    log_weights = _chunk(model, x, size, condition, seeds[index])
    new_max = tf.maximum(running_max, tf.reduce_max(log_weights, axis=0))
    # While every weight so far is 0 (max -inf), keep the shift finite: -inf - -inf is NaN.
    shift = tf.where(tf.math.is_finite(new_max), new_max, 0.0)
    running_sum = (running_sum * tf.exp(running_max - shift)
                   + tf.reduce_sum(tf.exp(log_weights - shift), axis=0))
    running_max = new_max
  return tf.math.log(running_sum) + tf.where(tf.math.is_finite(running_max), running_max, 0.0) \
      - math.log(num_samples)


def _chunk(model, x, size, condition, seed):
  """One chunk of log-weights [size, batch], through a per-model compiled function."""
  compiled = getattr(model, "_compiled_log_weights", None)
  if compiled is None:
    compiled = tf.function(lambda x, size, condition, seed: model.log_weights(
        x, size, condition=condition, seed=seed), reduce_retracing=True)
    model._compiled_log_weights = compiled
  return compiled(x, tf.constant(size), condition, seed)
