"""PixelCNN++'s gated residual block over a shifted convolution, with concat_elu."""

import keras
import numpy as np
import tensorflow as tf

from tfgen.layers.philox_dropout import PhiloxDropout
from tfgen.layers.shifted_conv2d import ShiftedConv2D
from tfgen.utils import checks


def concat_elu(x):
  """elu([x, -x]): both signs of x through an ELU, so no half is cut off: [..., 2C]."""
  return tf.nn.elu(tf.concat([x, -x], axis=-1))


@keras.saving.register_keras_serializable(package="tfgen")
class GatedResnet(keras.layers.Layer):
  """A residual block whose update is gated, on a shifted (causal) convolution.

    c = Conv(concat_elu(x)) + W concat_elu(aux)       (the W term when `use_auxiliary`)
    [a, b] = Conv'(dropout(concat_elu(c)))
    y = x + a * sigmoid(b)

  Args:
    filters: channels of x and y.
    kernel_size: of both `ShiftedConv2D`s.
    shift: "down" (the stream of rows above) or "down_right" (rows above and
      pixels to the left).
    use_auxiliary: take a second input `aux` (the other stream, or the up pass's
      output at this depth), mixed in by a 1x1 layer.
    dropout: rate before the second convolution, in training only.
    seed: seeds the dropout.

  Shapes: x [batch, H, W, filters], aux [batch, H, W, any] -> [batch, H, W, filters].

  Reference: Salimans et al., "PixelCNN++", ICLR 2017.
  """

  def __init__(self, filters, kernel_size=(2, 3), shift="down", use_auxiliary=False, dropout=0.0,
               seed=0, **kwargs):
    super().__init__(**kwargs)
    self.filters = int(filters)
    self.kernel_size = tuple(int(size) for size in np.broadcast_to(kernel_size, (2,)))
    self.shift = shift
    self.use_auxiliary = bool(use_auxiliary)
    self.dropout = checks.rate("dropout", dropout)
    self.seed = int(seed)
    self.conv_in = ShiftedConv2D(self.filters, self.kernel_size, shift, name="conv_in")
    self.auxiliary = (keras.layers.Dense(self.filters, name="auxiliary")
                      if self.use_auxiliary else None)
    self.dropout_layer = PhiloxDropout(self.dropout, seed=self.seed, name="dropout")
    self.conv_out = ShiftedConv2D(2 * self.filters, self.kernel_size, shift, name="conv_out")

  def build(self, x_shape, auxiliary_shape=None):
    if int(x_shape[-1]) != self.filters:
      raise ValueError(f"GatedResnet({self.filters}) needs inputs of {self.filters} channels, "
                       f"got {x_shape[-1]}")
    self.conv_in.build(tuple(x_shape[:-1]) + (2 * self.filters,))
    if self.auxiliary is not None:
      if auxiliary_shape is None:
        raise ValueError("this GatedResnet uses an auxiliary input: give its shape to build")
      self.auxiliary.build(tuple(auxiliary_shape[:-1]) + (2 * int(auxiliary_shape[-1]),))
    self.conv_out.build(tuple(x_shape[:-1]) + (2 * self.filters,))
    self.built = True

  def call(self, x, auxiliary=None, training=None):
    if (auxiliary is None) == self.use_auxiliary:
      raise ValueError(f"this GatedResnet {'needs an' if self.use_auxiliary else 'takes no'} "
                       "auxiliary input")
    hidden = self.conv_in(concat_elu(x))
    if auxiliary is not None:
      hidden = hidden + self.auxiliary(concat_elu(auxiliary))
    hidden = self.dropout_layer(concat_elu(hidden), training=training)
    update, gate = tf.split(self.conv_out(hidden), 2, axis=-1)
    return x + update * tf.sigmoid(gate)

  def get_config(self):
    config = super().get_config()
    config.update(filters=self.filters, kernel_size=list(self.kernel_size), shift=self.shift,
                  use_auxiliary=self.use_auxiliary, dropout=self.dropout, seed=self.seed)
    return config
