"""Causal (left-padded, dilated) 1-D convolution, with a single-step form for fast generation."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfgen")
class CausalConv1D(keras.layers.Layer):
  """A 1-D convolution whose output at t sees only inputs at t and before (or before t).

    y_t = b + sum_{k=0}^{K-1} W_k x_{t - s - k d}

  with kernel size K, dilation d and shift s (0, or 1 for a model's first layer,
  whose output at t must not see x_t). The input is padded on the left with
  s + (K-1) d zeros, so the output has the input's length.

  `step` computes one new output from one new input and a queue of the last
  s + (K-1) d inputs (Fast WaveNet): O(K) per step instead of a pass over the
  receptive field.

  Args:
    filters: output channels.
    kernel_size: K.
    dilation_rate: d.
    shift: exclude the current input (for the first layer of a model).
    activation, use_bias, kernel_initializer: as in keras.layers.Conv1D.

  Shapes: [batch, time, channels] -> [batch, time, filters].

  Example:
    layer = CausalConv1D(32, kernel_size=2, dilation_rate=4)
    y = layer(x)                               # [B, T, 32]
    queue = layer.initial_queue(batch_size=B, channels=x.shape[-1])
    y_t, queue = layer.step(x[:, t], queue)    # equals y[:, t]

  Reference: van den Oord et al., "WaveNet", 2016; Paine et al., "Fast Wavenet
  Generation Algorithm", 2016.
  """

  def __init__(self, filters, kernel_size, dilation_rate=1, shift=False, activation=None,
               use_bias=True, kernel_initializer="glorot_uniform", **kwargs):
    super().__init__(**kwargs)
    if int(filters) < 1 or int(kernel_size) < 1 or int(dilation_rate) < 1:
      raise ValueError(f"CausalConv1D needs filters, kernel_size and dilation_rate >= 1, got "
                       f"{filters}, {kernel_size}, {dilation_rate}")
    self.filters = int(filters)
    self.kernel_size = int(kernel_size)
    self.dilation_rate = int(dilation_rate)
    self.shift = bool(shift)
    self.activation = keras.activations.get(activation)
    self.use_bias = bool(use_bias)
    self.kernel_initializer = keras.initializers.get(kernel_initializer)

  @property
  def receptive_field(self):
    """How many past inputs (including the current one unless shifted) an output sees."""
    return (self.kernel_size - 1) * self.dilation_rate + 1

  @property
  def queue_length(self):
    """Inputs `step` keeps: the shift plus (K - 1) d."""
    return int(self.shift) + (self.kernel_size - 1) * self.dilation_rate

  def build(self, input_shape):
    channels = int(input_shape[-1])
    self.kernel = self.add_weight(name="kernel", shape=(self.kernel_size, channels, self.filters),
                                  initializer=self.kernel_initializer)
    self.bias = (self.add_weight(name="bias", shape=(self.filters,), initializer="zeros")
                 if self.use_bias else None)

  def call(self, inputs):
    if inputs.shape.rank != 3:
      raise ValueError(f"CausalConv1D expects [batch, time, channels], got shape {inputs.shape}")
    padded = tf.pad(inputs, [[0, 0], [self.queue_length, 0], [0, 0]])
    if self.shift:
      padded = padded[:, :-1]
    # tf.nn.convolution dilates by space-to-batch. tf.nn.conv1d(dilations=d) has no
    # gradient on CPUs where TensorFlow runs without oneDNN (TF_ENABLE_ONEDNN_OPTS=0,
    # many AMD and ARM machines): "Current CPU implementations do not yet support
    # dilation rates larger than 1".
    outputs = tf.nn.convolution(padded, self.kernel, padding="VALID",
                                dilations=[self.dilation_rate])
    if self.bias is not None:
      outputs = outputs + self.bias
    return self.activation(outputs)

  def initial_queue(self, batch_size, channels):
    """Zeros standing for the inputs before the sequence: [batch, queue_length, channels]."""
    return tf.zeros([batch_size, self.queue_length, channels])

  def step(self, inputs, queue):
    """One output from one input [batch, channels] and the queue; returns (output, new queue)."""
    history = tf.concat([queue, inputs[:, tf.newaxis, :]], axis=1)      # [B, L + 1, C]
    last = self.queue_length - int(self.shift)                           # index of x_{t - s}
    taps = [history[:, last - k * self.dilation_rate] for k in range(self.kernel_size)]
    # W_k multiplies x_{t - s - k d}; the convolution's kernel index 0 is the oldest tap.
    outputs = sum(tf.matmul(tap, self.kernel[self.kernel_size - 1 - k])
                  for k, tap in enumerate(taps))
    if self.bias is not None:
      outputs = outputs + self.bias
    return self.activation(outputs), history[:, 1:]

  def compute_output_shape(self, input_shape):
    return tuple(input_shape[:-1]) + (self.filters,)

  def get_config(self):
    config = super().get_config()
    config.update(filters=self.filters, kernel_size=self.kernel_size,
                  dilation_rate=self.dilation_rate, shift=self.shift,
                  activation=keras.activations.serialize(self.activation), use_bias=self.use_bias,
                  kernel_initializer=keras.initializers.serialize(self.kernel_initializer))
    return config
