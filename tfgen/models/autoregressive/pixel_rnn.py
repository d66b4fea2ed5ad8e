"""PixelRNN: Row LSTM or Diagonal BiLSTM layers with residual connections."""

import keras
import tensorflow as tf

from tfgen.layers.diagonal_bilstm import DiagonalBiLSTM
from tfgen.layers.masked_conv2d import MaskedConv2D
from tfgen.layers.row_lstm import RowLSTM
from tfgen.models.autoregressive.image_autoregressive_model import ImageAutoregressiveModel
from tfgen.utils import checks

LAYER_TYPES = ("row_lstm", "diagonal_bilstm")


@keras.saving.register_keras_serializable(package="tfgen")
class PixelRNN(ImageAutoregressiveModel):
  """Recurrent layers over the image, between a masked input convolution and 1x1 output layers.

    h^0 = MaskedConv_A^{7x7}(x)                                       [.., 2U]
    h^l = h^{l-1} + W_l LSTM_l(h^{l-1})     (Row LSTM or Diagonal BiLSTM, U units)
    params = W_o relu(W_h relu(h^L));   p(x) = prod_{r, c, k} head(x[r, c, k] | params[r, c, k])

  The Row LSTM computes a row at a time from the row above (H sequential
  steps, a triangular receptive field); the Diagonal BiLSTM a diagonal at a
  time in both directions (2 (H + W - 1) steps), whose states see every
  earlier pixel's features (a pixel's value reaches the features of later
  pixels within the input convolution's reach).
  W_l and the output layers are masked 1x1 convolutions, so RGB channels keep
  their order. Sampling reruns the network per value.

  Args:
    event_shape: (height, width, channels).
    head: Bernoulli, Categorical(K) or a DiscretizedLogisticMixture.
    layer_type: "row_lstm" or "diagonal_bilstm".
    num_layers: recurrent layers.
    num_units: U, the state size of each recurrent layer (the residual stream has 2U).
    kernel_size: the Row LSTM's 1-D convolutions (odd).
    input_kernel_size: the type-A input convolution (odd).
    num_output_filters: width of the hidden 1x1 output layer.

  Example:
    model = PixelRNN((28, 28, 1), tfgen.heads.Bernoulli(), layer_type="diagonal_bilstm")

  Reference: van den Oord et al., "Pixel Recurrent Neural Networks", ICML 2016
  (80.54 nats on binarized MNIST with 7 Row LSTM layers, 79.20 with the Diagonal BiLSTM).
  """

  def __init__(self, event_shape, head, layer_type="row_lstm", num_layers=2, num_units=32,
               kernel_size=3, input_kernel_size=7, num_output_filters=64, **kwargs):
    super().__init__(event_shape, head, **kwargs)
    if layer_type not in LAYER_TYPES:
      raise ValueError(f"layer_type must be one of {', '.join(LAYER_TYPES)}, got {layer_type!r}")
    checks.at_least_one("PixelRNN", num_layers=num_layers, num_units=num_units,
                        num_output_filters=num_output_filters)
    self.check_kernel_sizes(kernel_size, input_kernel_size)
    self.layer_type = layer_type
    self.num_layers = int(num_layers)
    groups = self.num_groups
    self.num_units = self.widen_to_groups(num_units)
    self.kernel_size = int(kernel_size)
    self.input_kernel_size = int(input_kernel_size)
    self.num_output_filters = self.widen_to_groups(num_output_filters)
    self.stream_width = 2 * self.num_units
    self.input_conv = MaskedConv2D(self.stream_width, self.input_kernel_size, "A", num_groups=groups,
                                   name="input_conv")
    if layer_type == "row_lstm":
      self.recurrent = [RowLSTM(self.num_units, self.kernel_size, groups, name=f"row_lstm_{index}")
                        for index in range(self.num_layers)]
    else:
      self.recurrent = [DiagonalBiLSTM(self.num_units, groups, name=f"diagonal_bilstm_{index}")
                        for index in range(self.num_layers)]
    self.residuals = [MaskedConv2D(self.stream_width, 1, num_groups=groups, name=f"residual_{index}")
                      for index in range(self.num_layers)]
    self.output_hidden = MaskedConv2D(self.num_output_filters, 1, num_groups=groups,
                                      name="output_hidden")
    self.output_conv = MaskedConv2D(groups * self.group_params, 1, num_groups=groups,
                                    name="output_conv")

  def build(self, input_shape=None):
    image = (None, self.height, self.width)
    self.input_conv.build(image + (self.network_input_channels,))
    for recurrent, residual in zip(self.recurrent, self.residuals):
      recurrent.build(image + (self.stream_width,))
      residual.build(image + (self.num_units,))
    self.output_hidden.build(image + (self.stream_width,))
    self.output_conv.build(image + (self.num_output_filters,))
    self.built = True

  def _network(self, features, condition, training):
    del condition, training
    hidden = self.input_conv(features)
    for recurrent, residual in zip(self.recurrent, self.residuals):
      hidden = hidden + residual(recurrent(hidden))
    return self.output_conv(tf.nn.relu(self.output_hidden(tf.nn.relu(hidden))))

  def get_config(self):
    config = super().get_config()
    config.update(layer_type=self.layer_type, num_layers=self.num_layers, num_units=self.num_units,
                  kernel_size=self.kernel_size, input_kernel_size=self.input_kernel_size,
                  num_output_filters=self.num_output_filters)
    return config
