"""Checks shared by the head tests: exhaustive sums, sampling frequencies, 1-D integrals."""

import itertools

import numpy as np
import scipy.stats
import tensorflow as tf


def check_discrete_sums_to_one(head, params, num_values, event_shape, atol=1e-5):
  """sum over every value of the event of p(x | params) is 1, for each batch member."""
  size = int(np.prod(event_shape))
  values = np.array(list(itertools.product(range(num_values), repeat=size)), np.float32)
  values = values.reshape((-1,) + tuple(event_shape))
  batch = params.shape[0]
  tiled_params = tf.repeat(tf.convert_to_tensor(params)[:, tf.newaxis], len(values), axis=1)
  tiled_values = np.broadcast_to(values, (batch,) + values.shape)
  log_probs = head.distribution(tiled_params, batch_ndims=2).log_prob(tiled_values)
  totals = tf.exp(tf.reduce_logsumexp(tf.cast(log_probs, tf.float64), axis=1)).numpy()
  np.testing.assert_allclose(totals, 1.0, atol=atol)
  return totals


def check_sample_frequencies(head, params, num_values, num_draws=4000, seed=11):
  """Chi-square test of the draws of one scalar element against its probabilities.

  Args:
    params: [P] parameters of one scalar element.
  """
  tiled = tf.repeat(tf.convert_to_tensor(params, tf.float32)[tf.newaxis, tf.newaxis], num_draws, 0)
  draws = head.sample(tiled, seed=seed).numpy().reshape(-1).astype(int)
  counts = np.bincount(draws, minlength=num_values)
  values = tf.range(num_values, dtype=tf.float32)[:, tf.newaxis]
  probs = np.exp(head.distribution(tf.repeat(tiled[:1], num_values, 0), batch_ndims=1)
                 .log_prob(values).numpy()).astype(np.float64)
  expected = probs * num_draws
  keep = expected > 5  # Pool the rare values so the chi-square approximation holds.
  observed = np.append(counts[keep], counts[~keep].sum())
  expected = np.append(expected[keep], expected[~keep].sum())
  if expected[-1] == 0:
    observed, expected = observed[:-1], expected[:-1]
  statistic = ((observed - expected) ** 2 / expected).sum()
  limit = scipy.stats.chi2.ppf(0.999, df=len(observed) - 1)
  assert statistic < limit, f"chi-square {statistic:.1f} >= {limit:.1f}: counts {counts}, probs {probs}"
  return statistic


def integrate_1d(head, params, low, high, num_points=200001):
  """Trapezoid integral of p(x | params) over [low, high] for one scalar element."""
  grid = np.linspace(low, high, num_points, dtype=np.float64)
  tiled = tf.repeat(tf.convert_to_tensor(params, tf.float32)[tf.newaxis], num_points, axis=0)
  density = np.exp(head.distribution(tiled, batch_ndims=1).log_prob(
      grid.astype(np.float32)).numpy().astype(np.float64))
  return np.trapezoid(density, grid)
