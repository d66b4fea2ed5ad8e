"""Diagonal BiLSTM (PixelRNN): two LSTMs along the image's diagonals, one shifted to stay causal."""

import keras
import tensorflow as tf

from tfgen.layers.masked_conv2d import MaskedConv2D
from tfgen.layers.row_lstm import check_units, lstm_update
from tfgen.layers.shifted_conv2d import down_shift


def skew(x):
  """Shifts row r of [batch, H, W, C] right by r: [batch, H, W + H - 1, C] (diagonals become columns)."""
  _, height, width, channels = x.shape
  flat = tf.reshape(tf.pad(x, [[0, 0], [0, 0], [0, height], [0, 0]]), [-1, height * (width + height),
                                                                      channels])
  return tf.reshape(flat[:, :height * (width + height - 1)], [-1, height, width + height - 1,
                                                                 channels])


def unskew(x, width):
  """The inverse of `skew`: [batch, H, W + H - 1, C] -> [batch, H, W, C]."""
  _, height, skewed_width, channels = x.shape
  flat = tf.pad(tf.reshape(x, [-1, height * skewed_width, channels]), [[0, 0], [0, height], [0, 0]])
  return tf.reshape(flat, [-1, height, skewed_width + 1, channels])[:, :, :width]


@keras.saving.register_keras_serializable(package="tfgen")
class DiagonalBiLSTM(keras.layers.Layer):
  """Two diagonal LSTMs, left-to-right and right-to-left; the second shifted down a row.

    skewed x: row r moved right by r, so each column is a diagonal of the image
    [o, f, i, g] = sigmoid/tanh(K_ss * [h_{s-1}(r - 1), h_{s-1}(r)] + K_is x_s(r))
    y = unskew(LSTM_lr(x)) + ShiftDown(flip(unskew(LSTM_rl(flip(x)))))

  K_is is a masked 1x1 convolution (mask B, RGB groups), K_ss a 2x1 convolution
  over the previous diagonal, so the left-to-right state at (r, c) sees the
  pixels above and to the left. The right-to-left one, run on the flipped
  image, sees the pixels to the right in its own row; shifting it down a row
  keeps only what lies above. Together they see every earlier pixel's features
  (in a PixelRNN, a pixel's value reaches the features of the pixels after it
  that its masked input convolution covers).

  Args:
    units: U, the state size of each direction (a multiple of num_groups).
    num_groups: channel groups (3 for RGB drawn channel by channel).

  Shapes: [batch, H, W, C] -> [batch, H, W, U].

  Reference: van den Oord et al., "Pixel Recurrent Neural Networks", ICML 2016.
  """

  def __init__(self, units, num_groups=1, **kwargs):
    super().__init__(**kwargs)
    check_units("DiagonalBiLSTM", units, num_groups)
    self.units = int(units)
    self.num_groups = int(num_groups)
    self.input_to_state = [MaskedConv2D(4 * self.units, 1, "B", num_groups=self.num_groups,
                                        num_output_blocks=4, name=f"input_to_state_{direction}")
                           for direction in ("left_to_right", "right_to_left")]
    # Over the rows of the previous diagonal: taps at r - 1 and r.
    self.state_to_state = [keras.layers.Conv1D(4 * self.units, 2, padding="causal", use_bias=False,
                                               name=f"state_to_state_{direction}")
                           for direction in ("left_to_right", "right_to_left")]

  def build(self, input_shape):
    for conv, state in zip(self.input_to_state, self.state_to_state):
      conv.build(input_shape)
      state.build((None, input_shape[1], self.units))
    self.built = True

  def _diagonal_lstm(self, inputs, direction):
    # The skewed columns first: [W + H - 1, B, H, 4U], one loop step each.
    columns = tf.transpose(skew(self.input_to_state[direction](inputs)), [2, 0, 1, 3])
    zeros = tf.zeros_like(columns[0, :, :, :self.units])       # [B, H, U]

    def step(state, gates):
      hidden, cell = state
      return lstm_update(gates + self.state_to_state[direction](hidden), cell)

    # A loop, not W + H - 1 unrolled copies: compiles in seconds, not minutes.
    hidden, _ = tf.scan(step, columns, initializer=(zeros, zeros))
    return unskew(tf.transpose(hidden, [1, 2, 0, 3]), inputs.shape[2])

  def call(self, inputs):
    if inputs.shape.rank != 4 or None in inputs.shape[1:3]:
      raise ValueError(f"DiagonalBiLSTM expects [batch, height, width, channels] with a known "
                       f"height and width, got shape {inputs.shape}")
    left_to_right = self._diagonal_lstm(inputs, 0)
    right_to_left = tf.reverse(self._diagonal_lstm(tf.reverse(inputs, [2]), 1), [2])
    return left_to_right + down_shift(right_to_left)

  def compute_output_shape(self, input_shape):
    return tuple(input_shape[:-1]) + (self.units,)

  def get_config(self):
    config = super().get_config()
    config.update(units=self.units, num_groups=self.num_groups)
    return config
