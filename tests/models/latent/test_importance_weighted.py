"""The IWAE log-likelihood estimate against an exactly integrable tiny VAE, and its streaming."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp
from scipy import special

from tests import model_checks
from tfgen import heads
from tfgen.heads import sampling
from tfgen.models.latent import VAE, importance_weighted

tfd = tfp.distributions


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

    def encode_condition(self, condition):
      return condition

    def log_weights(self, x, num_samples, condition=None, seed=None, posterior=None):
      del condition, posterior
      return 300.0 * sampling.uniform(tf.stack([num_samples, tf.shape(x)[0]]), seed) - 600.0

  model, x = FixedWeights(), tf.zeros([3, 2])
  estimate = importance_weighted.log_likelihood(model, x, num_samples=23, chunk_size=5, seed=9)
  chunks = [model.log_weights(x, size, seed=seed).numpy() for size, seed in
            zip([5, 5, 5, 5, 3], sampling.split(9, 5))]
  expected = special.logsumexp(np.concatenate(chunks), axis=0) - math.log(23)
  np.testing.assert_allclose(estimate.numpy(), expected, rtol=1e-5)


def elbo_of(model, values, posterior, num_samples=4000):
  """E_r log p(x | z) - KL(r || p(z)) by Monte Carlo: [batch] nats."""
  z = posterior.sample(num_samples, seed=[5, 5])                               # [S, batch, 1]
  params = model.decode(tf.reshape(z, [-1, 1]))
  tiled = np.tile(values, (num_samples, 1))
  log_likelihood = tf.reshape(model.head.log_prob(tiled, params), [num_samples, len(values)])
  kl = tfd.kl_divergence(posterior, model.prior(None, len(values)))
  return (tf.reduce_mean(log_likelihood, axis=0) - kl).numpy()


def test_refined_proposal_raises_the_elbo_and_tightens_the_estimate(tiny):
  model, values, exact = tiny
  encoder = model.encode(values)
  refined = importance_weighted.refine_posterior(model, values, num_steps=300, seed=2)
  elbo_encoder, elbo_refined = elbo_of(model, values, encoder), elbo_of(model, values, refined)
  # The refinement climbs each example's ELBO, which stays a lower bound on log p.
  assert np.all(elbo_refined > elbo_encoder + 0.05), elbo_refined - elbo_encoder
  assert np.all(elbo_refined <= exact + 0.02), (elbo_refined - exact).max()
  # With 5 samples the refined proposal sits nearer log p than the encoder's, and still
  # below it on average: a different proposal changes the estimate's spread, not its target.
  def mean_estimate(posterior):
    return np.mean([importance_weighted.log_likelihood(model, values, 5, seed=seed,
                                                       posterior=posterior).numpy()
                    for seed in range(30)], axis=0)
  gap_encoder = (exact - mean_estimate(None)).mean()
  gap_refined = (exact - mean_estimate(refined)).mean()
  assert -0.02 < gap_refined < gap_encoder / 2, (gap_refined, gap_encoder)
  # Zero steps: the encoder's q itself.
  unrefined = importance_weighted.refine_posterior(model, values, num_steps=0)
  np.testing.assert_array_equal(unrefined.mean().numpy(), encoder.mean().numpy())


def test_refinement_is_seeded_and_per_example(tiny):
  model, values, _ = tiny
  first = importance_weighted.refine_posterior(model, values, 20, seed=7).mean().numpy()
  np.testing.assert_array_equal(
      first, importance_weighted.refine_posterior(model, values, 20, seed=7).mean().numpy())
  # Each example's refinement follows its own ELBO only: changing example 0 (same batch
  # size, same noise) moves its own refined mean and no other.
  changed = values.copy()
  changed[0] = 1.0 - changed[0]
  moved = importance_weighted.refine_posterior(model, changed, 20, seed=7).mean().numpy()
  assert np.abs(moved[0] - first[0]).max() > 1e-3
  np.testing.assert_allclose(moved[1:], first[1:], rtol=1e-5, atol=1e-6)


def test_bad_arguments_are_named(tiny):
  model, values, _ = tiny
  with pytest.raises(ValueError, match="num_samples and chunk_size must be >= 1"):
    importance_weighted.log_likelihood(model, values, num_samples=0)
  with pytest.raises(ValueError, match="num_steps must be >= 0 and num_samples >= 1, got -1, 8"):
    importance_weighted.refine_posterior(model, values, num_steps=-1)
  with pytest.raises(ValueError, match=r"expects examples of shape \(4,\), got shape \(5,\)"):
    importance_weighted.log_likelihood(model, np.zeros((2, 5), np.float32), 3,
                                       posterior=model.encode(values[:2]))
