"""Down- and down-right-shifted (de)convolutions of PixelCNN++: causal by padding, not by masks."""

import keras
import numpy as np
import tensorflow as tf

SHIFTS = ("down", "down_right")


@keras.saving.register_keras_serializable(package="tfgen")
class ShiftedConv2D(keras.layers.Layer):
  """A convolution padded so its output at (r, c) sees only rows <= r (and columns <= c).

    down        kernel (kh, kw): rows r-kh+1..r, columns c-(kw-1)/2..c+(kw-1)/2
    down_right  kernel (kh, kw): rows r-kh+1..r, columns c-kw+1..c

  At stride 2 it halves the image; `transpose=True` makes the matching
  upsampling deconvolution, cropped so it keeps the same shift. Stacked with
  `down_shift` / `right_shift` of a stream's first layer, these build PixelCNN++'s
  two streams: one that sees the rows above and one that sees the rows above
  and the pixels to the left.

  Args:
    filters: output channels.
    kernel_size: (kh, kw); kw odd for "down".
    shift: "down" or "down_right".
    strides: 1, or 2 to halve (or, transposed, double) height and width.
    transpose: a transposed convolution (upsampling).

  Shapes: [batch, H, W, C] -> [batch, H / s, W / s, filters] (x s when transposed).

  Reference: Salimans et al., "PixelCNN++", ICLR 2017 (down_shifted_conv2d,
  down_right_shifted_conv2d and their deconvolutions).
  """

  def __init__(self, filters, kernel_size=(2, 3), shift="down", strides=1, transpose=False,
               kernel_initializer="glorot_uniform", **kwargs):
    super().__init__(**kwargs)
    kernel_size = tuple(int(size) for size in np.broadcast_to(kernel_size, (2,)))
    if shift not in SHIFTS:
      raise ValueError(f"shift must be one of {', '.join(SHIFTS)}, got {shift!r}")
    if min(kernel_size) < 1 or (shift == "down" and kernel_size[1] % 2 == 0):
      raise ValueError(f"ShiftedConv2D needs a kernel_size >= 1 (odd width for 'down'), got "
                       f"{kernel_size}")
    if int(strides) not in (1, 2) or int(filters) < 1:
      raise ValueError(f"ShiftedConv2D needs filters >= 1 and strides 1 or 2, got filters="
                       f"{filters}, strides={strides}")
    self.filters = int(filters)
    self.kernel_size = kernel_size
    self.shift = shift
    self.strides = int(strides)
    self.transpose = bool(transpose)
    self.kernel_initializer = keras.initializers.get(kernel_initializer)
    height, width = kernel_size
    self.left = (width - 1) // 2 if shift == "down" else width - 1
    self.right = (width - 1) // 2 if shift == "down" else 0
    self.top = height - 1

  def build(self, input_shape):
    channels = int(input_shape[-1])
    shape = (self.kernel_size + (self.filters, channels) if self.transpose
             else self.kernel_size + (channels, self.filters))
    self.kernel = self.add_weight(name="kernel", shape=shape, initializer=self.kernel_initializer)
    self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer="zeros")

  def call(self, inputs):
    if inputs.shape.rank != 4:
      raise ValueError(f"ShiftedConv2D expects [batch, height, width, channels], got shape "
                       f"{inputs.shape}")
    if self.transpose:
      return self._deconvolve(inputs) + self.bias
    padded = tf.pad(inputs, [[0, 0], [self.top, 0], [self.left, self.right], [0, 0]])
    return tf.nn.conv2d(padded, self.kernel, strides=self.strides, padding="VALID") + self.bias

  def _deconvolve(self, inputs):
    shape = tf.shape(inputs)
    height, width = self.kernel_size
    full = [shape[0], shape[1] * self.strides + height - 1, shape[2] * self.strides + width - 1,
            self.filters]
    outputs = tf.nn.conv2d_transpose(inputs, self.kernel, tf.stack(full), strides=self.strides,
                                     padding="VALID")
    # Keep the rows and columns whose inputs all come from above (and the left): the
    # first rows, and the first columns (down-right) or the centred ones (down).
    start = self.right
    return outputs[:, :shape[1] * self.strides, start:start + shape[2] * self.strides]

  def compute_output_shape(self, input_shape):
    batch, height, width, _ = input_shape
    scale = (lambda size: None if size is None else size * self.strides) if self.transpose else (
        lambda size: None if size is None else -(-size // self.strides))
    return (batch, scale(height), scale(width), self.filters)

  def get_config(self):
    config = super().get_config()
    config.update(filters=self.filters, kernel_size=list(self.kernel_size), shift=self.shift,
                  strides=self.strides, transpose=self.transpose,
                  kernel_initializer=keras.initializers.serialize(self.kernel_initializer))
    return config


def down_shift(x):
  """Moves an image down one row (zeros on top): [batch, H, W, C]."""
  return tf.pad(x, [[0, 0], [1, 0], [0, 0], [0, 0]])[:, :-1]


def right_shift(x):
  """Moves an image right one column (zeros on the left): [batch, H, W, C]."""
  return tf.pad(x, [[0, 0], [0, 0], [1, 0], [0, 0]])[:, :, :-1]
