"""MAF: a stack of MADE-parameterized affine autoregressive transforms."""

import keras
import tensorflow as tf

from tfgen import heads
from tfgen.models.autoregressive.made import MADE
from tfgen.models.flows.flow import Flow


@keras.saving.register_keras_serializable(package="tfgen")
class MAF(Flow):
  """z = f_K(... f_1(x)), each f_k an autoregressive affine map with MADE conditioners:

    u_i = (h_i - mu_i(h_<i)) * exp(-alpha_i(h_<i)),   log |det| = -sum_i alpha_i
    log p(x) = log N(z; 0, I) + sum_k log |det f_k|

  Density takes one MADE pass per layer; sampling inverts each layer in D
  passes (h_i = u_i exp(alpha_i) + mu_i, i in the MADE's order). Orderings
  alternate natural / reversed between layers; alpha = 5 tanh(raw / 5) keeps
  the scales bounded, and each layer starts as the identity.

  Args:
    event_shape: shape of one example (flattened inside).
    num_values, logit_alpha, seed: see `Flow`.
    num_flows: K.
    hidden_units: each MADE's hidden layer sizes.

  Example:
    maf = MAF((2,), num_flows=5, hidden_units=(64, 64))
    maf.compile(optimizer="adam"); maf.fit(points, epochs=100)

  Reference: Papamakarios, Pavlakou & Murray, "Masked Autoregressive Flow for
  Density Estimation", 2017; Germain et al., "MADE", 2015.
  """

  def __init__(self, event_shape, num_values=0, logit_alpha=0.05, num_flows=5,
               hidden_units=(256,), seed=0, **kwargs):
    super().__init__(event_shape, num_values, logit_alpha, seed, **kwargs)
    if int(num_flows) < 1:
      raise ValueError(f"num_flows must be >= 1, got {num_flows}")
    if self.num_dims < 2:
      raise ValueError("MAF needs at least 2 dimensions")
    self.num_flows = int(num_flows)
    self.hidden_units = tuple(int(units) for units in hidden_units)
    self.mades = [MADE((self.num_dims,), heads.Normal(), hidden_units=self.hidden_units,
                       ordering="natural" if index % 2 == 0 else "reverse",
                       hidden_degrees="equal", seed=self.seed + index, name=f"made_{index}")
                  for index in range(self.num_flows)]
    # Built now, eagerly: MADE's build assigns masks (and ours zeroes the output kernels),
    # which must not become ops of a traced training step.
    self.build()

  def build(self, input_shape=None):
    for made in self.mades:
      if not made.built:
        made.build((None, self.num_dims))
        # Start each layer at the identity (mu = 0, alpha = 0), as the couplings do.
        made.output_layer.kernel.assign(tf.zeros_like(made.output_layer.kernel))
    self.built = True

  @staticmethod
  def shift_and_log_scale(made, hidden):
    """(mu, alpha) [batch, D] of one layer: the MADE's two outputs per dimension."""
    params = tf.cast(made(hidden), tf.float32)  # The change of variables is in float32.
    return params[..., 0], 5.0 * tf.tanh(params[..., 1] / 5.0)

  def transform(self, w):
    hidden = tf.reshape(w, [-1, self.num_dims])
    log_det = tf.zeros([tf.shape(hidden)[0]])
    for made in self.mades:
      shift, log_scale = self.shift_and_log_scale(made, hidden)
      hidden = (hidden - shift) * tf.exp(-log_scale)
      log_det -= tf.reduce_sum(log_scale, axis=-1)
    return hidden, log_det

  def inverse_transform(self, z):
    hidden = z
    for made in reversed(self.mades):
      noise = hidden
      hidden = tf.zeros_like(noise)
      order = made.sampling_order()
      # Pass i fills the i-th entry in the MADE's order from the exact earlier ones; later
      # entries stay 0, so no unfinished value can grow through the masked layers.
      for step in tf.range(self.num_dims):
        shift, log_scale = self.shift_and_log_scale(made, hidden)
        entry = tf.one_hot(order[step], self.num_dims)
        hidden = hidden + entry * (noise * tf.exp(log_scale) + shift)
    return hidden

  def get_config(self):
    config = super().get_config()
    config.update(num_flows=self.num_flows, hidden_units=list(self.hidden_units))
    return config
