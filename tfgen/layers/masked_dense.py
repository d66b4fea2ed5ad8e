"""Dense layer with a constant connectivity mask."""

import keras
import numpy as np
from keras import ops


@keras.saving.register_keras_serializable(package="tfgen")
class MaskedDense(keras.layers.Layer):
  """Dense layer whose kernel is multiplied by a 0/1 mask in every call.

    y = activation(x @ (W * M) + b)

  The mask is a non-trainable weight, so it is saved with the model. It is set
  with `set_mask` outside `call` (MADE sets it from its degrees and may resample
  it between training steps); `call` only multiplies by it.

  Args:
    units: output size.
    activation: Keras activation name or callable.
    use_bias: add b.
    kernel_initializer: initializer of W.

  Shapes: x [batch, in] -> y [batch, units]; M [in, units].

  Example:
    layer = MaskedDense(3)
    layer.build((None, 2))
    layer.set_mask(np.array([[1, 0, 0], [1, 1, 0]]))

  Reference: Germain et al., "MADE", ICML 2015.
  """

  def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
               **kwargs):
    super().__init__(**kwargs)
    if int(units) < 1:
      raise ValueError(f"MaskedDense needs units >= 1, got {units}")
    self.units = int(units)
    self.activation = keras.activations.get(activation)
    self.use_bias = bool(use_bias)
    self.kernel_initializer = keras.initializers.get(kernel_initializer)

  def build(self, input_shape):
    input_size = int(input_shape[-1])
    self.kernel = self.add_weight(name="kernel", shape=(input_size, self.units),
                                  initializer=self.kernel_initializer)
    self.bias = (self.add_weight(name="bias", shape=(self.units,), initializer="zeros")
                 if self.use_bias else None)
    self.mask = self.add_weight(name="mask", shape=(input_size, self.units), initializer="ones",
                                trainable=False)

  def set_mask(self, mask):
    """Replaces the connectivity mask; `mask` is [in, units] of zeros and ones (or booleans)."""
    mask = np.asarray(mask)
    if mask.shape != tuple(self.mask.shape):
      raise ValueError(f"{self.name}: mask shape {mask.shape} != kernel shape {tuple(self.mask.shape)}")
    # A boolean mask is 0/1 by its type; skipping the scan matters when MADE switches masks every step.
    if mask.dtype != np.bool_ and not np.all((mask == 0) | (mask == 1)):
      raise ValueError(f"{self.name}: a mask holds only zeros and ones")
    self.mask.assign(mask.astype(np.float32))

  def call(self, inputs):
    outputs = ops.matmul(inputs, self.kernel * self.mask)
    if self.bias is not None:
      outputs = outputs + self.bias
    return self.activation(outputs)

  def compute_output_shape(self, input_shape):
    return tuple(input_shape[:-1]) + (self.units,)

  def get_config(self):
    config = super().get_config()
    config.update(units=self.units, activation=keras.activations.serialize(self.activation),
                  use_bias=self.use_bias,
                  kernel_initializer=keras.initializers.serialize(self.kernel_initializer))
    return config
