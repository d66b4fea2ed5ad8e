"""Discretized logistic mixture head (PixelCNN++, Salimans et al. 2017)."""

import keras
import tensorflow as tf

from tfgen.heads.discretized_logistic_mixture_distribution import (
    DiscretizedLogisticMixtureDistribution)
from tfgen.heads.head import Head, MAX_COMPONENTS, MAX_VALUES, check_integer_range
from tfgen.utils import checks


@keras.saving.register_keras_serializable(package="tfgen")
class DiscretizedLogisticMixture(Head):
  """K-component mixture of discretized logistics over 0..num_bins-1.

    p(v) = sum_k pi_k prod_c [F_kc(s_c + d) - F_kc(s_c - d)],  s = 2v/(B-1) - 1, d = 1/(B-1)

  with edge bins taking the tails. Without coupling each scalar has its own
  mixture (params [..., 3K]: logits, means, log-scales). With
  `coupled_channels=C`, the last event axis (C channels, e.g. RGB) shares one
  component and channel c's mean adds sum_{j<c} tanh(a_cj) s_j, as in PixelCNN++
  (params [..., K (1 + 2C + C(C-1)/2)]; 10K for RGB).

  Args:
    num_components: K >= 1.
    num_bins: B >= 2 values per element (256 for 8-bit pixels).
    coupled_channels: None, or C >= 2 to couple the last event axis.

  Example:
    head = DiscretizedLogisticMixture(num_components=5, coupled_channels=3)
    head.params_shape((32, 32, 3))   # (32, 32, 50)

  Reference: Salimans et al., "PixelCNN++", ICLR 2017.
  """

  def __init__(self, num_components=5, num_bins=256, coupled_channels=None):
    owner = "DiscretizedLogisticMixture"
    self.num_components = checks.integer(owner, "num_components", num_components, 1,
                                         MAX_COMPONENTS)
    self.num_bins = checks.integer(owner, "num_bins", num_bins, 2, MAX_VALUES)
    self.coupled_channels = (None if coupled_channels is None else checks.integer(
        owner, "coupled_channels", coupled_channels, 2, MAX_COMPONENTS))
    self.element_ndims = 0 if self.coupled_channels is None else 1
    self._num_channels = self.coupled_channels or 1

  @property
  def num_values(self):
    return self.num_bins

  def params_per_element(self, element_shape=()):
    if self.coupled_channels is not None and tuple(element_shape) != (self.coupled_channels,):
      raise ValueError(f"DiscretizedLogisticMixture(coupled_channels={self.coupled_channels}) "
                       f"needs a last event axis of {self.coupled_channels}, got {tuple(element_shape)}")
    channels = self._num_channels
    return self.num_components * (1 + 2 * channels + channels * (channels - 1) // 2)

  def normalize(self, x):
    return 2.0 * tf.cast(x, tf.float32) / float(self.num_bins - 1) - 1.0

  def _element_distribution(self, params):
    expected = self.params_per_element((self._num_channels,) if self.coupled_channels else ())
    if params.shape[-1] != expected:
      raise ValueError(f"{self!r} expects {expected} parameters per element, got {params.shape[-1]}")
    components, channels = self.num_components, self._num_channels
    num_coeffs = channels * (channels - 1) // 2
    logits, loc, log_scale, coeffs = tf.split(
        params, [components, components * channels, components * channels,
                 components * num_coeffs], axis=-1)
    grid = tf.shape(params)[:-1]

    def per_component(tensor, size):
      return tf.reshape(tensor, tf.concat([grid, [components, size]], axis=0))

    return DiscretizedLogisticMixtureDistribution(
        logits, per_component(loc, channels), per_component(log_scale, channels),
        per_component(coeffs, num_coeffs) if num_coeffs else None,
        num_bins=self.num_bins, scalar_event=self.coupled_channels is None)

  def check_support(self, x):
    return check_integer_range(x, self.num_bins, repr(self) + " head")

  def noise_size(self, num_params):
    return self.num_components + self._num_channels  # Gumbel noise, then one per channel.

  def _sample_from_noise(self, params, noise, temperature):
    return self._element_distribution(params).sample_from_noise(noise, temperature)

  def get_config(self):
    return {"num_components": self.num_components, "num_bins": self.num_bins,
            "coupled_channels": self.coupled_channels}
