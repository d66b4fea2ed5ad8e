"""The IWAE log-likelihood estimate against an exactly integrable tiny VAE, and its streaming."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import special

from tests import model_checks
from tfgen import heads
from tfgen.heads import sampling
from tfgen.models.latent import VAE, importance_weighted


@pytest.fixture(scope="module")
def tiny():
  """4 binary pixels, a 1-D latent: log p(x) = log int p(x | z) N(z; 0, 1) dz on a grid."""
  keras.utils.set_random_seed(0)  # A module fixture: make it independent of the tests before it.
  model = VAE((4,), heads.Bernoulli(), latent_size=1, hidden_units=(8,), seed=0)
  model.build()
  # Sharpen the decoder so p(x | z) really varies with z (an untrained one barely does).
  for weight in model.decoder.trainable_weights:
    weight.assign(weight * 4.0)
  # q(z | x) = N(0, 1.5^2) for every x: wider than the prior, so the importance weights
  # p(x | z) p(z) / q(z) are bounded and K samples pin log p(x) down tightly.
  last = model.encoder.layers[-1]
  last.kernel.assign(tf.zeros_like(last.kernel))
  last.bias.assign([0.0, math.log(math.expm1(1.5))])
  values = model_checks.all_values(2, (4,))                                     # [16, 4]
  grid = np.linspace(-10.0, 10.0, 20001)
  spacing = grid[1] - grid[0]
  params = model.decode(grid[:, None].astype(np.float32)).numpy()              # [G, 4, 1]
  log_likelihood = np.stack([model.head.log_prob(np.repeat(value[None], len(grid), 0), params)
                             .numpy() for value in values]).astype(np.float64)  # [16, G]
  log_prior = -0.5 * grid ** 2 - 0.5 * math.log(2 * math.pi)
  exact = special.logsumexp(log_likelihood + log_prior, axis=1) + math.log(spacing)
  return model, values, exact


def test_the_grid_integral_is_a_distribution(tiny):
  _, _, exact = tiny
  assert abs(np.exp(exact).sum() - 1.0) < 1e-4


def test_estimate_rises_with_k_and_stays_below_log_p(tiny):
  model, values, exact = tiny
  means = []
  for num_samples in (1, 5, 50, 500):
    draws = [model.iwae_bound(values, num_samples, seed=seed).numpy() for seed in range(30)]
    means.append(np.mean(draws, axis=0))
  means = np.array(means)                                                      # [4 k, 16]
  assert np.all(np.diff(means.mean(axis=1)) > 0), means.mean(axis=1)
  # A lower bound in expectation: the mean over draws stays below log p (up to MC noise,
  # ~0.05 nats for 30 draws at k=500; a missing -log k would overshoot by log k).
  assert np.all(means <= exact + 0.1), (means - exact).max()
  assert np.all(means.mean(axis=1) <= exact.mean() + 0.02), means.mean(axis=1) - exact.mean()
  gap_one, gap_many = (exact - means[0]).mean(), (exact - means[-1]).mean()
  assert gap_one > 0.05 and gap_many < gap_one / 10, (gap_one, gap_many)


def test_streaming_estimate_with_100000_samples_matches_log_p(tiny):
  model, values, exact = tiny
  estimate = importance_weighted.log_likelihood(model, values, num_samples=100000, chunk_size=7000,
                                                seed=3).numpy()
  # Monte Carlo error is up to ~0.03 here; a missing -log K would be off by log(1e5) = 11.5.
  np.testing.assert_allclose(estimate, exact, atol=0.06)


def test_chunks_merge_into_the_full_log_mean_exp():
  """The running max / scaled sum equals log mean exp over all chunks' log-weights."""

  class FixedWeights:
    """log_weights drawn from each chunk's seed, so the test can redraw them."""

    def as_condition(self, condition):
      return condition

    def log_weights(self, x, num_samples, condition=None, seed=None):
      del condition
      return 300.0 * sampling.uniform(tf.stack([num_samples, tf.shape(x)[0]]), seed) - 600.0

  model, x = FixedWeights(), tf.zeros([3, 2])
  estimate = importance_weighted.log_likelihood(model, x, num_samples=23, chunk_size=5, seed=9)
  chunks = [model.log_weights(x, size, seed=seed).numpy() for size, seed in
            zip([5, 5, 5, 5, 3], sampling.split(9, 5))]
  expected = special.logsumexp(np.concatenate(chunks), axis=0) - math.log(23)
  np.testing.assert_allclose(estimate.numpy(), expected, rtol=1e-5)


def test_bad_arguments_are_named(tiny):
  model, values, _ = tiny
  with pytest.raises(ValueError, match="num_samples and chunk_size must be >= 1"):
    importance_weighted.log_likelihood(model, values, num_samples=0)
