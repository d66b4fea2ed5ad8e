"""NICE's diagonal scaling layer."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfgen")
class DiagonalScaling(keras.layers.Layer):
  """y = x * exp(s), one learned log-scale s per event entry; log |det| = sum s.

  Example:
    scaling = DiagonalScaling()
    y, log_det = scaling.forward(x)

  Reference: Dinh et al., "NICE", 2015 (section 3.3).
  """

  def build(self, input_shape):
    self.log_scale = self.add_weight(name="log_scale", shape=tuple(input_shape[1:]),
                                     initializer="zeros")

  def forward(self, x):
    log_det = tf.reduce_sum(self.log_scale) * tf.ones([tf.shape(x)[0]])
    return x * tf.exp(self.log_scale), log_det

  def inverse(self, y):
    return y * tf.exp(-self.log_scale)

  def call(self, inputs):
    return self.forward(inputs)[0]
