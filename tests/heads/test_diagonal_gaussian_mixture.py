import numpy as np
import pytest
import scipy.stats
import tensorflow as tf

from tfgen import heads

NUM_COMPONENTS, SIZE = 3, 2


def mixture_params(seed=0, batch=1):
  rng = np.random.default_rng(seed)
  return rng.normal(size=(batch, NUM_COMPONENTS + 2 * NUM_COMPONENTS * SIZE)).astype(np.float32)


def by_hand(params, x):
  """log sum_k pi_k prod_d N(x_d; mu_kd, sigma_kd) with numpy and scipy."""
  logits = params[:NUM_COMPONENTS]
  loc = params[NUM_COMPONENTS:NUM_COMPONENTS + NUM_COMPONENTS * SIZE].reshape(NUM_COMPONENTS, SIZE)
  scale = np.log1p(np.exp(params[NUM_COMPONENTS + NUM_COMPONENTS * SIZE:])).reshape(
      NUM_COMPONENTS, SIZE) + 1e-3
  weights = np.exp(logits - logits.max())
  weights /= weights.sum()
  densities = np.prod(scipy.stats.norm.pdf(x, loc, scale), axis=-1)
  return np.log(np.sum(weights * densities))


def test_params_shape_covers_a_whole_frame():
  head = heads.DiagonalGaussianMixture(NUM_COMPONENTS)
  assert head.params_shape((25, SIZE)) == (25, NUM_COMPONENTS + 2 * NUM_COMPONENTS * SIZE)
  assert heads.DiagonalGaussianMixture(1, fixed_scale=1.0).params_shape((25, 4)) == (25, 4)


def test_density_matches_the_mixture_by_hand():
  head = heads.DiagonalGaussianMixture(NUM_COMPONENTS)
  params = mixture_params()
  x = np.array([[0.3, -0.8]], np.float32)
  got = head.log_prob(x, params).numpy()[0]
  np.testing.assert_allclose(got, by_hand(params[0], x[0]), rtol=1e-5)


def test_integrates_to_one_in_two_dimensions():
  head = heads.DiagonalGaussianMixture(NUM_COMPONENTS)
  axis = np.linspace(-12, 12, 801, dtype=np.float32)
  grid = np.stack(np.meshgrid(axis, axis, indexing="ij"), -1).reshape(-1, 2)
  params = np.repeat(mixture_params(1), len(grid), axis=0)
  density = np.exp(head.log_prob(grid, params).numpy().astype(np.float64)).reshape(801, 801)
  total = np.trapezoid(np.trapezoid(density, axis, axis=1), axis)
  assert abs(total - 1.0) < 1e-3, total


def test_fixed_scale_is_a_squared_error():
  head = heads.DiagonalGaussianMixture(1, fixed_scale=1.0)
  loc = np.array([[0.5, -1.0, 2.0]], np.float32)
  x = np.array([[0.0, 0.0, 1.0]], np.float32)
  expected = -0.5 * np.sum((x - loc) ** 2) - 1.5 * np.log(2 * np.pi)
  np.testing.assert_allclose(head.log_prob(x, loc).numpy()[0], expected, rtol=1e-6)
  np.testing.assert_allclose(head.mean(loc).numpy(), loc)


def test_samples_pick_one_component_for_the_whole_vector():
  head = heads.DiagonalGaussianMixture(2, min_scale=1e-3)
  # Component 0 at (-5, -5), component 1 at (5, 5), tiny scales, equal weights.
  params = np.array([[0.0, 0.0, -5, -5, 5, 5, -20, -20, -20, -20]], np.float32)
  draws = head.sample(np.repeat(params, 2000, axis=0), seed=3).numpy()
  assert draws.shape == (2000, 2)
  assert np.all(np.sign(draws[:, 0]) == np.sign(draws[:, 1])), "coordinates from different components"
  assert 0.45 < np.mean(draws[:, 0] > 0) < 0.55


def test_sample_mean_matches_the_mixture_mean():
  head = heads.DiagonalGaussianMixture(NUM_COMPONENTS)
  params = mixture_params(2)
  draws = head.sample(np.repeat(params, 20000, axis=0), seed=4).numpy()
  expected = head.mean(params).numpy()[0]
  spread = draws.std(axis=0) / np.sqrt(len(draws))
  assert np.all(np.abs(draws.mean(axis=0) - expected) < 5 * spread)


def test_shift_loc_moves_every_component():
  head = heads.DiagonalGaussianMixture(NUM_COMPONENTS)
  params = mixture_params(3)
  shifted = head.shift_loc(params, np.array([[1.0, -2.0]], np.float32))
  _, loc, scale = head.split_params(params)
  _, new_loc, new_scale = head.split_params(shifted)
  np.testing.assert_allclose(new_loc - loc, np.broadcast_to([1.0, -2.0], loc.shape), atol=1e-6)
  np.testing.assert_allclose(new_scale, scale)


def test_bad_arguments_are_refused():
  with pytest.raises(ValueError, match="num_components"):
    heads.DiagonalGaussianMixture(0)
  with pytest.raises(ValueError, match="fixed_scale"):
    heads.DiagonalGaussianMixture(1, fixed_scale=0.0)
  with pytest.raises(ValueError, match="rank >= 1"):
    heads.DiagonalGaussianMixture(2).params_shape(())
  with pytest.raises(tf.errors.InvalidArgumentError, match="finite"):
    heads.DiagonalGaussianMixture(1, fixed_scale=1.0).log_prob([[np.nan, 0.0]], [[0.0, 0.0]])
