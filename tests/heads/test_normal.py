import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tests.heads import head_checks
from tfgen import heads

tfd = tfp.distributions


def test_integrates_to_one():
  total = head_checks.integrate_1d(heads.Normal(), [0.5, -0.3], -12.0, 12.0)
  assert abs(total - 1.0) < 1e-4, total


def test_agrees_with_tfp_normal():
  params = tf.constant([[[0.5, 0.2], [-1.0, -2.0]]])
  x = tf.constant([[0.1, -0.7]])
  head = heads.Normal()
  scale = tf.nn.softplus(params[..., 1]) + 1e-3
  expected = tf.reduce_sum(tfd.Normal(params[..., 0], scale).log_prob(x), -1)
  np.testing.assert_allclose(head.log_prob(x, params).numpy(), expected.numpy(), rtol=1e-6)


def test_sample_moments():
  params = tf.repeat(tf.constant([[[2.0, 0.0]]]), 20000, axis=0)
  draws = heads.Normal().sample(params, seed=4).numpy()
  scale = np.log1p(np.e ** 0) + 1e-3
  assert abs(draws.mean() - 2.0) < 4 * scale / np.sqrt(20000)
  assert abs(draws.std() - scale) < 0.02


def test_non_finite_values_are_refused():
  with pytest.raises(tf.errors.InvalidArgumentError, match="Normal head expects finite values"):
    heads.Normal().log_prob(tf.constant([[np.nan]]), tf.zeros([1, 1, 2]))
