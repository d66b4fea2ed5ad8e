"""Mixture-of-Gaussians head for continuous elements (as in RNADE, MDNs)."""

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen.heads import sampling
from tfgen.heads.head import Head, MAX_COMPONENTS
from tfgen.heads.normal import check_finite
from tfgen.utils import checks

tfd = tfp.distributions


@keras.saving.register_keras_serializable(package="tfgen")
class GaussianMixture(Head):
  """Each element is a K-component mixture of 1-D Gaussians.

    p(x_g | params) = sum_k pi_k N(x_g; mu_k, sigma_k^2),
    params[g] = (logits_1..K, mu_1..K, raw_scale_1..K),
    pi = softmax(logits),  sigma = softplus(raw_scale) + min_scale

  Args:
    num_components: K >= 1.
    min_scale: lower bound on each sigma_k.

  Params: [batch..., *event_shape, 3K].

  Example:
    GaussianMixture(num_components=3).sample(tf.zeros([2, 4, 9]), seed=1)   # [2, 4]
  """

  def __init__(self, num_components=5, min_scale=1e-3):
    self.num_components = checks.integer("GaussianMixture", "num_components", num_components, 1,
                                         MAX_COMPONENTS)
    self.min_scale = checks.positive("GaussianMixture", "min_scale", min_scale)

  def params_per_element(self, element_shape=()):
    return 3 * self.num_components

  def split_params(self, params):
    """(logits, loc, scale), each [..., K]."""
    logits, loc, raw_scale = tf.split(params, 3, axis=-1)
    return logits, loc, tf.nn.softplus(raw_scale) + self.min_scale

  def _element_distribution(self, params):
    logits, loc, scale = self.split_params(params)
    return tfd.MixtureSameFamily(
        mixture_distribution=tfd.Categorical(logits=logits),
        components_distribution=tfd.Normal(loc=loc, scale=scale))

  def check_support(self, x):
    return check_finite(x, "GaussianMixture head")

  def noise_size(self, num_params):
    return self.num_components + 2  # The component's Gumbel noise, then a Box-Muller pair.

  def _sample_from_noise(self, params, noise, temperature):
    components = self.num_components
    logits, loc, scale = self.split_params(params)
    component = sampling.gumbel_argmax(logits / temperature, noise=noise[..., :components])
    loc = sampling.select(loc, component, components)
    scale = sampling.select(scale, component, components)
    standard = sampling.normal_from_uniform(noise[..., components], noise[..., components + 1])
    return loc + temperature * scale * standard

  def get_config(self):
    return {"num_components": self.num_components, "min_scale": self.min_scale}
