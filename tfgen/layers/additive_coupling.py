"""NICE's additive coupling layer."""

import keras
import tensorflow as tf

from tfgen.layers.coupling import Coupling


@keras.saving.register_keras_serializable(package="tfgen")
class AdditiveCoupling(Coupling):
  """y_A = x_A,  y_B = x_B + m(x_A): volume preserving (log |det| = 0).

  A = the entries where `mask` is 1, B the others; m is the conditioner.

  Args:
    mask: [D] or [H, W, C] array of 0s and 1s.
    hidden_units: conditioner hidden sizes.

  Example:
    coupling = AdditiveCoupling(tfgen.layers.coupling.alternating_mask(784))
    y, log_det = coupling.forward(x)         # log_det is zeros
    x_again = coupling.inverse(y)

  Reference: Dinh et al., "NICE: Non-linear Independent Components Estimation", 2015.
  """

  outputs_per_entry = 1

  def forward(self, x):
    """(y, log |det dy/dx| [batch])."""
    (shift,) = self.conditioner_outputs(x)
    y = x + shift * (1.0 - self.mask)
    return y, tf.zeros([tf.shape(x)[0]])

  def inverse(self, y):
    (shift,) = self.conditioner_outputs(y)
    return y - shift * (1.0 - self.mask)

  def call(self, inputs):
    return self.forward(inputs)[0]
