"""Reflect padding of images, the border CycleGAN's generators use instead of zeros."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfgen")
class ReflectionPadding2D(keras.layers.Layer):
  """Pads height and width by mirroring the image inside its border (no edge repeat).

    [a b c d] padded by 2 -> [c b | a b c d | c b]

  Zero padding shows the network a dark frame, which a generator learns to
  paint as a border; reflection keeps the statistics of the image at its edge.

  Args:
    padding: pixels added on each side of height and width (an int, or (rows, columns)).
      Each must be smaller than the image's side.

  Input and output: [batch, height, width, channels] -> [batch, height + 2 rows,
  width + 2 columns, channels], height and width may be unknown (None).
  """

  def __init__(self, padding=1, **kwargs):
    super().__init__(**kwargs)
    rows, columns = (padding, padding) if isinstance(padding, int) else tuple(padding)
    if int(rows) < 0 or int(columns) < 0:
      raise ValueError(f"padding must be >= 0, got {padding}")
    self.padding = (int(rows), int(columns))

  def call(self, inputs):
    rows, columns = self.padding
    return tf.pad(inputs, [[0, 0], [rows, rows], [columns, columns], [0, 0]], mode="REFLECT")

  def compute_output_shape(self, input_shape):
    rows, columns = self.padding
    batch, height, width, channels = input_shape
    return (batch, None if height is None else height + 2 * rows,
            None if width is None else width + 2 * columns, channels)

  def get_config(self):
    return {**super().get_config(), "padding": list(self.padding)}
