import numpy as np
import pytest
import scipy.stats
import tensorflow as tf
import tensorflow_probability as tfp

from tests.heads import head_checks
from tfgen import heads

tfd = tfp.distributions


def reference_mixture(params, num_bins):
  """The same mixture built from TFP parts: QuantizedDistribution of shifted logistics."""
  logits, loc, log_scale = tf.split(params, 3, axis=-1)
  half_range = (num_bins - 1) / 2.0
  # Scaled value s = v / half_range - 1, so a logistic of mean mu and scale s on that
  # scale is one of mean (mu + 1) * half_range and scale s * half_range on values;
  # quantizing ceil(X - 0.5) gives the centred bins [v - 1/2, v + 1/2).
  components = tfd.QuantizedDistribution(
      tfd.Logistic(loc=(loc + 1.0) * half_range - 0.5,
                   scale=tf.exp(tf.maximum(log_scale, -7.0)) * half_range),
      low=0.0, high=float(num_bins - 1))
  return tfd.MixtureSameFamily(tfd.Categorical(logits=logits), components)


def test_matches_tfp_quantized_reference():
  num_bins = 256
  params = tf.random.stateless_normal([6, 9], seed=[5, 6]) * tf.constant([2.0] * 3 + [0.6] * 3 + [1.0] * 3)
  values = tf.constant([[0.0], [1.0], [37.0], [128.0], [254.0], [255.0]])
  head = heads.DiscretizedLogisticMixture(num_components=3, num_bins=num_bins)
  got = head.distribution(params[:, tf.newaxis, :]).log_prob(values)
  expected = reference_mixture(params, num_bins).log_prob(values[:, 0])
  np.testing.assert_allclose(np.exp(got.numpy()), np.exp(expected.numpy()), rtol=2e-3, atol=1e-6)


@pytest.mark.parametrize("num_bins", [2, 5, 256])
def test_scalar_sums_to_one(num_bins):
  params = tf.random.stateless_normal([3, 1, 6], seed=[7, num_bins]) * 2
  head = heads.DiscretizedLogisticMixture(num_components=2, num_bins=num_bins)
  head_checks.check_discrete_sums_to_one(head, params, num_bins, (1,))


def test_coupled_rgb_sums_to_one_over_every_colour():
  head = heads.DiscretizedLogisticMixture(num_components=3, num_bins=4, coupled_channels=3)
  assert head.params_shape((2, 2, 3)) == (2, 2, 30)
  params = tf.random.stateless_normal([2, 1, 30], seed=[8, 9])
  head_checks.check_discrete_sums_to_one(head, params, 4, (1, 3))


def test_coupling_makes_channels_depend_on_earlier_values():
  head = heads.DiscretizedLogisticMixture(num_components=1, num_bins=16, coupled_channels=3)
  params = np.zeros([1, 1, 10], np.float32)
  params[..., 7] = 3.0  # Strong positive coupling of green on red.
  dist = head.distribution(tf.constant(params))
  low_red = dist.log_prob(tf.constant([[[0.0, 0.0, 8.0]]]))
  high_red = dist.log_prob(tf.constant([[[15.0, 0.0, 8.0]]]))
  # Green = 0 is likely after red = 0, unlikely after red = 15.
  assert low_red.numpy()[0] > high_red.numpy()[0] + 1.0


def test_sample_frequencies_match_probabilities():
  head = heads.DiscretizedLogisticMixture(num_components=2, num_bins=8)
  head_checks.check_sample_frequencies(head, [0.3, -0.2, -0.4, 0.5, -1.0, -1.5], 8)


def test_coupled_sample_frequencies_match_joint_probabilities():
  head = heads.DiscretizedLogisticMixture(num_components=2, num_bins=3, coupled_channels=2)
  params = tf.constant([0.2, -0.3, 0.1, -0.2, 0.3, 0.4, -0.5, -0.1, -0.6, -0.2, 1.0, -1.0])
  num_draws = 6000
  draws = head.sample(tf.repeat(params[tf.newaxis, tf.newaxis], num_draws, 0), seed=2).numpy()
  codes = (draws[:, 0, 0] * 3 + draws[:, 0, 1]).astype(int)
  counts = np.bincount(codes, minlength=9)
  grid = np.array([[a, b] for a in range(3) for b in range(3)], np.float32)
  probs = np.exp(head.distribution(tf.repeat(params[tf.newaxis], 9, 0), batch_ndims=1)
                 .log_prob(grid).numpy())
  expected = probs * num_draws
  statistic = ((counts - expected) ** 2 / expected).sum()
  assert statistic < scipy.stats.chi2.ppf(0.999, df=8), (counts, expected)


def test_extreme_parameters_stay_finite():
  head = heads.DiscretizedLogisticMixture(num_components=1, num_bins=256)
  params = tf.constant([[[0.0, 0.99, -7.0]], [[0.0, -0.99, 5.0]], [[0.0, 0.0, -20.0]]])
  values = tf.constant([[255.0], [0.0], [128.0]])
  log_prob = head.log_prob(values, params)
  assert np.all(np.isfinite(log_prob.numpy()))
  with tf.GradientTape() as tape:
    tape.watch(params)
    total = tf.reduce_sum(head.log_prob(values, params))
  assert np.all(np.isfinite(tape.gradient(total, params).numpy()))


def test_out_of_range_values_are_refused():
  head = heads.DiscretizedLogisticMixture(num_components=1, num_bins=256)
  with pytest.raises(tf.errors.InvalidArgumentError, match="values > 255"):
    head.log_prob(tf.constant([[256.0]]), tf.zeros([1, 1, 3]))


def test_coupled_needs_matching_channel_axis():
  with pytest.raises(ValueError, match="coupled_channels=3"):
    heads.DiscretizedLogisticMixture(coupled_channels=3).params_shape((8, 8, 1))


def test_coupled_log_prob_of_several_samples():
  head = heads.DiscretizedLogisticMixture(num_components=2, num_bins=8, coupled_channels=3)
  dist = head.distribution(tf.random.stateless_normal([3, 4, 20], seed=[1, 2]))
  draws = dist.sample(5, seed=3)
  log_probs = dist.log_prob(draws)
  assert log_probs.shape == (5, 3)
  np.testing.assert_allclose(log_probs[2].numpy(), dist.log_prob(draws[2]).numpy(), rtol=1e-6)
