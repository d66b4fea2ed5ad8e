"""Diagonal Normal head for continuous elements."""

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen.heads import sampling
from tfgen.heads.head import Head
from tfgen.utils import checks

tfd = tfp.distributions


def check_finite(x, head_name):
  check = tf.debugging.assert_all_finite(x, message=f"{head_name} expects finite values")
  with tf.control_dependencies([check]):
    return tf.identity(x)


@keras.saving.register_keras_serializable(package="tfgen")
class Normal(Head):
  """Independent Normal elements: params = (loc, raw scale).

    p(x | params) = prod_g N(x_g; mu_g, sigma_g^2),
    mu = params[..., 0],  sigma = softplus(params[..., 1]) + min_scale

  Args:
    min_scale: lower bound on sigma, which keeps the density bounded.

  Params: [batch..., *event_shape, 2].

  Example:
    Normal().log_prob(tf.zeros([3, 5]), tf.zeros([3, 5, 2]))   # [3]
  """

  def __init__(self, min_scale=1e-3):
    self.min_scale = checks.positive("Normal", "min_scale", min_scale)

  def params_per_element(self, element_shape=()):
    return 2

  def scale(self, params):
    return tf.nn.softplus(params[..., 1]) + self.min_scale

  def _element_distribution(self, params):
    return tfd.Normal(loc=params[..., 0], scale=self.scale(params))

  def check_support(self, x):
    return check_finite(x, "Normal head")

  def noise_size(self, num_params):
    return 2

  def _sample_from_noise(self, params, noise, temperature):
    standard = sampling.normal_from_uniform(noise[..., 0], noise[..., 1])
    return params[..., 0] + temperature * self.scale(params) * standard

  def get_config(self):
    return {"min_scale": self.min_scale}
