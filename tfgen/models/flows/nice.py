"""NICE: additive coupling layers and a diagonal scaling."""

import keras
import tensorflow as tf

from tfgen.layers import coupling
from tfgen.layers.additive_coupling import AdditiveCoupling
from tfgen.layers.diagonal_scaling import DiagonalScaling
from tfgen.models.flows.flow import Flow


@keras.saving.register_keras_serializable(package="tfgen")
class NICE(Flow):
  """z = S(g_L(... g_1(x))) on the flattened event, each g an additive coupling:

    g_l:  h_B <- h_B + m_l(h_A)   (A, B = even / odd entries, alternating with l)
    S:    z = h * exp(s)          (log |det| = sum s; the couplings have det 1)
    log p(x) = log N(z; 0, I) + sum_i s_i   (+ the dequantization terms for discrete x)

  Args:
    event_shape: shape of one example (flattened inside).
    num_values, logit_alpha, seed: see `Flow`.
    num_couplings: additive coupling layers (NICE: 4).
    hidden_units: each conditioner's hidden layer sizes (NICE on MNIST: 5 x 1000).

  Example:
    nice = NICE((8, 8, 1), num_values=17, num_couplings=4, hidden_units=(256, 256))
    nice.compile(optimizer="adam"); nice.fit(digits, epochs=50)
    nice.sample(16, seed=0)

  Reference: Dinh, Krueger & Bengio, "NICE: Non-linear Independent Components
  Estimation", 2015 (a Gaussian prior here, where NICE also used a logistic one).
  """

  def __init__(self, event_shape, num_values=0, logit_alpha=0.05, num_couplings=4,
               hidden_units=(256, 256), seed=0, **kwargs):
    super().__init__(event_shape, num_values, logit_alpha, seed, **kwargs)
    if int(num_couplings) < 1:
      raise ValueError(f"num_couplings must be >= 1, got {num_couplings}")
    if self.num_dims < 2:
      raise ValueError("NICE needs at least 2 dimensions to couple")
    self.num_couplings = int(num_couplings)
    self.hidden_units = tuple(int(units) for units in hidden_units)
    self.couplings = [AdditiveCoupling(coupling.alternating_mask(self.num_dims, index % 2),
                                       self.hidden_units, name=f"coupling_{index}")
                      for index in range(self.num_couplings)]
    self.scaling = DiagonalScaling(name="scaling")

  def build(self, input_shape=None):
    for layer in self.couplings + [self.scaling]:
      if not layer.built:
        layer.build((None, self.num_dims))
    self.built = True

  def transform(self, w):
    hidden = tf.reshape(w, [-1, self.num_dims])
    log_det = tf.zeros([tf.shape(hidden)[0]])
    for layer in self.couplings + [self.scaling]:
      hidden, layer_log_det = layer.forward(hidden)
      log_det += layer_log_det
    return hidden, log_det

  def inverse_transform(self, z):
    hidden = self.scaling.inverse(z)
    for layer in reversed(self.couplings):
      hidden = layer.inverse(hidden)
    return hidden

  def get_config(self):
    config = super().get_config()
    config.update(num_couplings=self.num_couplings, hidden_units=list(self.hidden_units))
    return config
