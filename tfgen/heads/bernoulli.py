"""Bernoulli head: one logit per binary element."""

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen.heads.head import Head, check_integer_range

tfd = tfp.distributions


@keras.saving.register_keras_serializable(package="tfgen")
class Bernoulli(Head):
  """Independent Bernoulli elements given their logits.

    p(x | params) = prod_g sigmoid(l_g)^x_g (1 - sigmoid(l_g))^(1 - x_g),  l = params[..., 0]

  Params: [batch..., *event_shape, 1]. Values: 0 or 1.

  Example:
    head = Bernoulli()
    params = tf.zeros([4, 784, 1])
    head.log_prob(tf.ones([4, 784]), params)   # [4], each 784 * log(1/2)
  """

  @property
  def num_values(self):
    return 2

  def params_per_element(self, element_shape=()):
    return 1

  def _element_distribution(self, params):
    return tfd.Bernoulli(logits=params[..., 0], dtype=tf.float32)

  def check_support(self, x):
    return check_integer_range(x, 2, "Bernoulli head")

  def noise_size(self, num_params):
    return 1

  def _sample_from_noise(self, params, noise, temperature):
    logits = params[..., 0] / temperature
    # uniform < sigmoid(logits): converts to TFLite, unlike tfd.Bernoulli.sample.
    return tf.cast(noise[..., 0] < tf.sigmoid(logits), tf.float32)
