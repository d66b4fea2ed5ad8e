"""RealNVP's affine coupling layer."""

import keras
import tensorflow as tf

from tfgen.layers.coupling import Coupling


@keras.saving.register_keras_serializable(package="tfgen")
class AffineCoupling(Coupling):
  """y_A = x_A,  y_B = x_B * exp(s(x_A)) + t(x_A),  log |det| = sum_B s(x_A).

  s = g * tanh(raw) with a learned gain g per channel keeps early training
  stable (as in the RealNVP code). A = where `mask` is 1.

  Args:
    mask: [D] or [H, W, C] array of 0s and 1s (checkerboard, channel or alternating).
    hidden_units: conditioner hidden sizes.

  Example:
    coupling = AffineCoupling(tfgen.layers.coupling.checkerboard_mask(28, 28, 1))
    y, log_det = coupling.forward(images)
    images_again = coupling.inverse(y)

  Reference: Dinh et al., "Density estimation using Real NVP", 2017.
  """

  outputs_per_entry = 2

  def build(self, input_shape):
    super().build(input_shape)
    self.scale_gain = self.add_weight(name="scale_gain", shape=(int(input_shape[-1]),),
                                      initializer="ones")

  def shift_and_log_scale(self, x):
    """(t, s) of x's shape, zero on the kept entries."""
    shift, raw = self.conditioner_outputs(x)
    free = 1.0 - self.mask
    return shift * free, self.scale_gain * tf.tanh(raw) * free

  def forward(self, x):
    """(y, log |det dy/dx| [batch])."""
    shift, log_scale = self.shift_and_log_scale(x)
    return x * tf.exp(log_scale) + shift, self._sum_event(log_scale)

  def inverse(self, y):
    shift, log_scale = self.shift_and_log_scale(y)
    return (y - shift) * tf.exp(-log_scale)

  def call(self, inputs):
    return self.forward(inputs)[0]
