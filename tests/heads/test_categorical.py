import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tests.heads import head_checks
from tfgen import heads

tfd = tfp.distributions


def test_sums_to_one_over_every_event():
  params = tf.random.stateless_normal([2, 4, 3], seed=[3, 4]) * 2
  head_checks.check_discrete_sums_to_one(heads.Categorical(3), params, 3, (4,))


def test_agrees_with_tfp_categorical():
  logits = tf.random.stateless_normal([5, 7], seed=[0, 1])
  x = tf.constant([0.0, 6.0, 3.0, 2.0, 1.0])
  reference = tfd.Categorical(logits=logits).log_prob(tf.cast(x, tf.int32))
  got = heads.Categorical(7).distribution(logits[:, tf.newaxis, :]).log_prob(x[:, tf.newaxis])
  np.testing.assert_allclose(got.numpy(), reference.numpy(), rtol=1e-5)
  # The head's own log_prob (one-hot times log-softmax, TFLite builtins) over a [2, 3] grid.
  grid_logits = tf.random.stateless_normal([5, 2, 3, 7], seed=[2, 3])
  grid_x = tf.random.stateless_uniform([5, 2, 3], seed=[4, 5], maxval=7, dtype=tf.int32)
  reference = tfd.Independent(tfd.Categorical(logits=grid_logits), 2).log_prob(grid_x)
  got = heads.Categorical(7).log_prob(tf.cast(grid_x, tf.float32), grid_logits)
  np.testing.assert_allclose(got.numpy(), reference.numpy(), rtol=1e-5)


def test_sample_frequencies_match_probabilities():
  head_checks.check_sample_frequencies(heads.Categorical(5), [0.0, 1.0, -1.0, 2.0, 0.5], 5)


@pytest.mark.parametrize("bad", [5.0, -1.0, 1.5])
def test_values_outside_classes_are_refused(bad):
  with pytest.raises(tf.errors.InvalidArgumentError, match=r"Categorical\(num_classes=5\)"):
    heads.Categorical(5).log_prob(tf.constant([[bad]]), tf.zeros([1, 1, 5]))


def test_wrong_param_count_is_named():
  with pytest.raises(ValueError, match="num_classes=5"):
    heads.Categorical(5).distribution(tf.zeros([1, 2, 4]))


def test_needs_two_classes():
  with pytest.raises(ValueError, match=r"num_classes in \[2, 1048576\], got 1"):
    heads.Categorical(1)


def test_mean_is_the_expected_value():
  logits = tf.math.log(tf.constant([[[0.2, 0.3, 0.5]]]))
  np.testing.assert_allclose(heads.Categorical(3).mean(logits).numpy(), [[1.3]], rtol=1e-6)
