import numpy as np
import pytest
import tensorflow as tf

from tests.heads import head_checks
from tfgen import heads


def test_sums_to_one_over_every_binary_event():
  params = tf.random.stateless_normal([3, 6, 1], seed=[1, 2]) * 3
  head_checks.check_discrete_sums_to_one(heads.Bernoulli(), params, 2, (6,))


def test_log_prob_matches_formula():
  logits = np.array([[-1.0, 0.5, 2.0]], np.float32)
  x = np.array([[1.0, 0.0, 1.0]], np.float32)
  p = 1 / (1 + np.exp(-logits))
  expected = np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=-1)
  got = heads.Bernoulli().log_prob(x, logits[..., np.newaxis]).numpy()
  np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_sample_frequencies_match_probabilities():
  head_checks.check_sample_frequencies(heads.Bernoulli(), [0.7], 2)


def test_params_size():
  assert heads.Bernoulli().params_size((28, 28, 1)) == 784
  assert heads.Bernoulli().params_shape((5,)) == (5, 1)


@pytest.mark.parametrize("bad", [0.5, 2.0, -1.0])
def test_non_binary_values_are_refused(bad):
  with pytest.raises(tf.errors.InvalidArgumentError, match="Bernoulli head expects integer values"):
    heads.Bernoulli().log_prob(tf.constant([[0.0, bad]]), tf.zeros([1, 2, 1]))


def test_temperature_sharpens():
  params = tf.fill([20000, 1, 1], 1.0)
  cold = heads.Bernoulli().sample(params, seed=1, temperature=0.25).numpy().mean()
  warm = heads.Bernoulli().sample(params, seed=1, temperature=1.0).numpy().mean()
  assert cold > warm + 0.1


def test_mean_is_the_probability_of_one():
  np.testing.assert_allclose(heads.Bernoulli().mean(tf.constant([[[0.0], [2.0]]])).numpy(),
                             [[0.5, 1 / (1 + np.exp(-2.0))]], rtol=1e-6)
