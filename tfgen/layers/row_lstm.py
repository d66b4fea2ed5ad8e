"""Row LSTM (PixelRNN): an LSTM that runs down the image a whole row at a time."""

import keras
import tensorflow as tf

from tfgen.layers.masked_conv2d import MaskedConv2D


def lstm_update(gates, cell):
  """One LSTM update from pre-activations [..., 4U] = [o, f, i, g]: (hidden [..., U], cell [..., U]).

  With RGB groups the input-to-state convolution emits the four parts as blocks
  in the groups' order (`num_output_blocks=4`), so each unit stays in its group.
  """
  output_gate, forget_gate, input_gate, candidate = tf.split(gates, 4, axis=-1)
  cell = tf.sigmoid(forget_gate) * cell + tf.sigmoid(input_gate) * tf.tanh(candidate)
  return tf.sigmoid(output_gate) * tf.tanh(cell), cell


def check_units(owner, units, num_groups):
  """Raises a ValueError naming `owner` unless units >= 1 is a multiple of num_groups >= 1."""
  if int(num_groups) < 1 or int(units) < 1 or int(units) % int(num_groups):
    raise ValueError(f"{owner} needs units >= 1, a multiple of num_groups; got units={units}, "
                     f"num_groups={num_groups}")


@keras.saving.register_keras_serializable(package="tfgen")
class RowLSTM(keras.layers.Layer):
  """Row r's LSTM state from row r - 1's (a 1-D convolution) and row r's inputs (a masked one).

    [o, f, i, g]_r = sigmoid/tanh(K_ss * h_{r-1} + K_is * x_r)
    c_r = f . c_{r-1} + i . g,     h_r = o . tanh(c_r)

  K_is is a masked 1 x k convolution along the row (mask B, with RGB groups),
  so h at (r, c) sees inputs at (r, <= c); K_ss a 1-D convolution of width k
  over the row above. Every pixel of a row is computed at once: H sequential
  steps. Its receptive field is a triangle above the pixel.

  Args:
    units: U, the state size (a multiple of num_groups).
    kernel_size: k, odd.
    num_groups: channel groups (3 for RGB images drawn channel by channel).

  Shapes: [batch, H, W, C] -> [batch, H, W, U].

  Reference: van den Oord et al., "Pixel Recurrent Neural Networks", ICML 2016.
  """

  def __init__(self, units, kernel_size=3, num_groups=1, **kwargs):
    super().__init__(**kwargs)
    check_units("RowLSTM", units, num_groups)
    self.units = int(units)
    self.kernel_size = int(kernel_size)
    self.num_groups = int(num_groups)
    self.input_to_state = MaskedConv2D(4 * self.units, (1, self.kernel_size), "B",
                                       region="horizontal", num_groups=self.num_groups,
                                       num_output_blocks=4, name="input_to_state")
    self.state_to_state = keras.layers.Conv1D(4 * self.units, self.kernel_size, padding="same",
                                              use_bias=False, name="state_to_state")

  def build(self, input_shape):
    self.input_to_state.build(input_shape)
    self.state_to_state.build((None, input_shape[2], self.units))
    self.built = True

  def call(self, inputs):
    if inputs.shape.rank != 4 or inputs.shape[1] is None:
      raise ValueError(f"RowLSTM expects [batch, height, width, channels] with a known height, "
                       f"got shape {inputs.shape}")
    rows = tf.transpose(self.input_to_state(inputs), [1, 0, 2, 3])   # [H, B, W, 4U]
    zeros = tf.zeros_like(rows[0, :, :, :self.units])                # [B, W, U]

    def step(state, gates):
      hidden, cell = state
      return lstm_update(gates + self.state_to_state(hidden), cell)

    hidden, _ = tf.scan(step, rows, initializer=(zeros, zeros))
    return tf.transpose(hidden, [1, 0, 2, 3])

  def compute_output_shape(self, input_shape):
    return tuple(input_shape[:-1]) + (self.units,)

  def get_config(self):
    config = super().get_config()
    config.update(units=self.units, kernel_size=self.kernel_size, num_groups=self.num_groups)
    return config
