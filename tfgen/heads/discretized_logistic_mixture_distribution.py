"""The `tfd.Distribution` behind the DiscretizedLogisticMixture head."""

import math

import tensorflow as tf
import tensorflow_probability as tfp

from tfgen.heads import sampling

tfd = tfp.distributions

# PixelCNN++ clips log-scales from below, which bounds the density.
MIN_LOG_SCALE = -7.0


def log1mexp(value):
  """log(1 - exp(value)) for value < 0, accurate on both sides of -log 2."""
  value = tf.minimum(value, -1e-30)
  near_zero = value > -math.log(2.0)
  return tf.where(near_zero,
                  tf.math.log(-tf.math.expm1(tf.maximum(value, -math.log(2.0)))),
                  tf.math.log1p(-tf.exp(tf.minimum(value, -math.log(2.0)))))


def log_interval_mass(lower, upper):
  """log(sigmoid(upper) - sigmoid(lower)) for upper > lower, without cancellation.

  Right of zero it uses the mirror image sigmoid(-lower) - sigmoid(-upper), so the
  difference is always taken between two small tail probabilities.
  """
  flip = (upper + lower) > 0.0
  high = tf.where(flip, -lower, upper)
  low = tf.where(flip, -upper, lower)
  log_high = tf.math.log_sigmoid(high)
  return log_high + log1mexp(tf.math.log_sigmoid(low) - log_high)


def couple_loc(loc, coeffs, values, num_channels):
  """loc_c + sum_{j<c} tanh(coeff_cj) * values_j, the PixelCNN++ channel coupling.

  Args:
    loc: [..., K, C]; coeffs: [..., K, C(C-1)/2] in the order (1,0), (2,0), (2,1), ...
    values: [..., 1, C] or [..., K, C], data already scaled to [-1, 1].
  """
  if num_channels == 1:
    return loc
  channels = []
  pair = 0
  for channel in range(num_channels):
    mean = loc[..., channel]
    for previous in range(channel):
      mean = mean + tf.tanh(coeffs[..., pair]) * values[..., previous]
      pair += 1
    channels.append(mean)
  return tf.stack(channels, axis=-1)


class DiscretizedLogisticMixtureDistribution(tfd.Distribution):
  """Mixture of discretized logistics over integer values 0..num_bins-1 (PixelCNN++).

  Values v are scaled to s = 2 v / (B - 1) - 1 in [-1, 1], with bins of half-width
  d = 1 / (B - 1). For a vector of C channels sharing one mixture component k:

    p(v) = sum_k pi_k prod_c [F_kc(s_c + d) - F_kc(s_c - d)]

  with F_kc the logistic CDF of mean mu_kc + sum_{j<c} tanh(a_kcj) s_j and scale
  exp(log_scale_kc); the lowest bin takes all mass below (F(s + d)), the highest all
  mass above (1 - F(s - d)).

  Args:
    logits: [batch..., K] mixture logits.
    loc: [batch..., K, C] means on the [-1, 1] scale.
    log_scale: [batch..., K, C] (clipped below at -7).
    coeffs: [batch..., K, C(C-1)/2] coupling coefficients, or None when C = 1.
    num_bins: B >= 2.
    scalar_event: with C = 1, make the event a scalar instead of [1].
  """

  def __init__(self, logits, loc, log_scale, coeffs=None, num_bins=256, scalar_event=False,
               validate_args=False, allow_nan_stats=True,
               name="DiscretizedLogisticMixtureDistribution"):
    parameters = dict(locals())
    with tf.name_scope(name):
      self._logits = tf.convert_to_tensor(logits, tf.float32)
      self._loc = tf.convert_to_tensor(loc, tf.float32)
      self._log_scale = tf.maximum(tf.convert_to_tensor(log_scale, tf.float32), MIN_LOG_SCALE)
      self._num_channels = int(self._loc.shape[-1])
      if coeffs is None:
        coeffs = tf.zeros_like(self._loc[..., :0])
      self._coeffs = tf.convert_to_tensor(coeffs, tf.float32)
      self._num_bins = int(num_bins)
      self._scalar_event = bool(scalar_event)
      if self._scalar_event and self._num_channels != 1:
        raise ValueError("scalar_event needs one channel")
      super().__init__(dtype=tf.float32, reparameterization_type=tfd.NOT_REPARAMETERIZED,
                       validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                       parameters=parameters, name=name)

  @classmethod
  def _parameter_properties(cls, dtype, num_classes=None):
    return dict(
        logits=tfp.util.ParameterProperties(event_ndims=1),
        loc=tfp.util.ParameterProperties(event_ndims=2),
        log_scale=tfp.util.ParameterProperties(event_ndims=2),
        coeffs=tfp.util.ParameterProperties(event_ndims=2))

  @property
  def num_bins(self):
    return self._num_bins

  def _batch_shape(self):
    return self._logits.shape[:-1]

  def _batch_shape_tensor(self):
    return tf.shape(self._logits)[:-1]

  def _event_shape(self):
    return tf.TensorShape([]) if self._scalar_event else tf.TensorShape([self._num_channels])

  def _event_shape_tensor(self):
    return tf.constant([], tf.int32) if self._scalar_event else tf.constant([self._num_channels])

  def _scale_values(self, values):
    return 2.0 * values / float(self._num_bins - 1) - 1.0

  def _log_prob(self, values):
    if self._scalar_event:
      values = values[..., tf.newaxis]
    scaled = self._scale_values(values)[..., tf.newaxis, :]             # [..., 1, C]
    # Broadcast the parameters to x's sample axes before mixing channels.
    broadcast = tf.zeros_like(scaled)
    loc = couple_loc(self._loc + broadcast, self._coeffs + broadcast[..., :1], scaled,
                     self._num_channels)                                  # [..., K, C]
    half_bin = 1.0 / float(self._num_bins - 1)
    inverse_scale = tf.exp(-self._log_scale)
    upper = inverse_scale * (scaled - loc + half_bin)
    lower = inverse_scale * (scaled - loc - half_bin)
    first_bin = tf.equal(values, 0.0)[..., tf.newaxis, :]
    last_bin = tf.equal(values, float(self._num_bins - 1))[..., tf.newaxis, :]
    log_mass = tf.where(first_bin, tf.math.log_sigmoid(upper),
                        tf.where(last_bin, tf.math.log_sigmoid(-lower),
                                 log_interval_mass(lower, upper)))
    log_weights = tf.nn.log_softmax(self._logits, axis=-1)
    return tf.reduce_logsumexp(log_weights + tf.reduce_sum(log_mass, axis=-1), axis=-1)

  def sample_with_temperature(self, seed=None, temperature=1.0):
    """One draw per batch member, with TFLite-builtin ops: [batch..., (C)]."""
    shape = tf.concat([tf.shape(self._logits)[:-1],
                       [int(self._logits.shape[-1]) + self._num_channels]], axis=0)
    return self.sample_from_noise(sampling.uniform(shape, seed), temperature)

  def sample_from_noise(self, noise, temperature=1.0):
    """The draw of `sample_with_temperature` from uniform noise [batch..., K + C]."""
    num_components = int(self._logits.shape[-1])
    component = sampling.gumbel_argmax(self._logits / temperature,
                                       noise=noise[..., :num_components])
    one_hot = tf.expand_dims(tf.one_hot(component, num_components), -1)   # [..., K, 1]
    loc = tf.reduce_sum(self._loc * one_hot, axis=-2)                     # [..., C]
    log_scale = tf.reduce_sum(self._log_scale * one_hot, axis=-2)
    coeffs = tf.reduce_sum(self._coeffs * one_hot, axis=-2)
    scaled_values = []
    pair = 0
    for channel in range(self._num_channels):
      mean = loc[..., channel]
      for previous in range(channel):
        mean = mean + tf.tanh(coeffs[..., pair]) * scaled_values[previous]
        pair += 1
      logistic = sampling.logistic_from_uniform(noise[..., num_components + channel])
      continuous = mean + temperature * tf.exp(log_scale[..., channel]) * logistic
      value = tf.clip_by_value(tf.round((continuous + 1.0) * 0.5 * float(self._num_bins - 1)),
                               0.0, float(self._num_bins - 1))
      scaled_values.append(self._scale_values(value))
    scaled = tf.stack(scaled_values, axis=-1)
    values = tf.round((scaled + 1.0) * 0.5 * float(self._num_bins - 1))
    return values[..., 0] if self._scalar_event else values

  def _sample_n(self, n, seed=None):
    shape = tf.concat([[n], tf.shape(self._logits)], axis=0)
    expanded = DiscretizedLogisticMixtureDistribution(
        tf.broadcast_to(self._logits, shape),
        tf.broadcast_to(self._loc, tf.concat([[n], tf.shape(self._loc)], 0)),
        tf.broadcast_to(self._log_scale, tf.concat([[n], tf.shape(self._log_scale)], 0)),
        tf.broadcast_to(self._coeffs, tf.concat([[n], tf.shape(self._coeffs)], 0)),
        num_bins=self._num_bins, scalar_event=self._scalar_event)
    seed = seed if seed is None or not isinstance(seed, int) else sampling.as_seed(seed)
    return expanded.sample_with_temperature(seed)
