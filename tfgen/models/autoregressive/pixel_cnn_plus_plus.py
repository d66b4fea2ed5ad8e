"""PixelCNN++: two shifted streams, down- and up-sampling with shortcuts, a logistic mixture head."""

import keras
import tensorflow as tf

from tfgen.layers.gated_resnet import GatedResnet
from tfgen.layers.shifted_conv2d import ShiftedConv2D, down_shift, right_shift
from tfgen.models.autoregressive.image_autoregressive_model import ImageAutoregressiveModel
from tfgen.utils import checks


@keras.saving.register_keras_serializable(package="tfgen")
class PixelCNNPlusPlus(ImageAutoregressiveModel):
  """PixelCNN with shifted convolutions, gated resnets over 3 resolutions, and a coupled mixture head.

    above      = down_shift(Conv_down^{2x3}(x))                                rows above
    above_left = down_shift(Conv_down^{1x3}(x)) + right_shift(Conv_dr^{2x1}(x))  and pixels left
    up pass:    R resolutions of K gated resnets on both streams, a stride-2 shifted conv between
    down pass:  the same in reverse, each resnet also reading the up pass's output at its depth
                (shortcut connections), a stride-2 shifted deconvolution between them
    params = W elu(above_left);   p(x) = prod_{r, c} DLM(x[r, c, :] | params[r, c])

  The streams are causal by their shifts (no masks, so no blind spot), and the
  head draws a pixel's channels together (RGB coupled inside the mixture), so
  the model needs a head with one element per pixel: a coupled
  DiscretizedLogisticMixture for RGB, or any head for one channel. Residual
  blocks use concat_elu and dropout. Sampling reruns the network per pixel.

  Args:
    event_shape: (height, width, channels); height and width divisible by
      2^(num_resolutions - 1).
    head: DiscretizedLogisticMixture(coupled_channels=C), or any head when C = 1.
    num_filters: channels of both streams.
    num_resnet: K gated resnets per resolution (K + 1 in the down pass after the first).
    num_resolutions: R.
    dropout: rate inside every gated resnet, in training only.
    seed: seeds the dropout.

  Example:
    head = tfgen.heads.DiscretizedLogisticMixture(5, coupled_channels=3)
    model = PixelCNNPlusPlus((16, 16, 3), head, num_filters=32, num_resnet=2)

  Reference: Salimans et al., "PixelCNN++: Improving the PixelCNN with
  Discretized Logistic Mixture Likelihood and Other Modifications", ICLR 2017.
  """

  def __init__(self, event_shape, head, num_filters=64, num_resnet=2, num_resolutions=3,
               dropout=0.5, seed=0, **kwargs):
    super().__init__(event_shape, head, **kwargs)
    if self.num_groups != 1:
      raise ValueError(f"PixelCNN++ draws a pixel's channels together: for {self.channels} "
                       f"channels use a head that couples them, DiscretizedLogisticMixture("
                       f"coupled_channels={self.channels})")
    checks.at_least_one("PixelCNNPlusPlus", num_filters=num_filters, num_resnet=num_resnet,
                        num_resolutions=num_resolutions)
    factor = 2 ** (int(num_resolutions) - 1)
    if self.height % factor or self.width % factor:
      raise ValueError(f"{num_resolutions} resolutions halve the image {num_resolutions - 1} "
                       f"times: height and width must be multiples of {factor}, got "
                       f"{self.height}x{self.width}")
    self.num_filters = int(num_filters)
    self.num_resnet = int(num_resnet)
    self.num_resolutions = int(num_resolutions)
    self.dropout = checks.rate("dropout", dropout)
    self.seed = int(seed)
    filters = self.num_filters
    self.above_input = ShiftedConv2D(filters, (2, 3), "down", name="above_input")
    self.above_left_input_up = ShiftedConv2D(filters, (1, 3), "down", name="above_left_input_up")
    self.above_left_input_left = ShiftedConv2D(filters, (2, 1), "down_right",
                                               name="above_left_input_left")
    self._num_blocks = 0

    def resnet(shift, name):
      self._num_blocks += 1
      kernel = (2, 3) if shift == "down" else (2, 2)
      return GatedResnet(filters, kernel, shift, use_auxiliary=name != "up_above",
                         dropout=self.dropout,
                         seed=self.seed + self._num_blocks, name=f"{name}_{self._num_blocks}")

    def resample(shift, name, transpose):
      kernel = (2, 3) if shift == "down" else (2, 2)
      return [ShiftedConv2D(filters, kernel, shift, strides=2, transpose=transpose,
                            name=f"{name}_{level}") for level in range(self.num_resolutions - 1)]

    num_up = self.num_resolutions * self.num_resnet
    num_down = self.num_resnet + (self.num_resolutions - 1) * (self.num_resnet + 1)
    self.up_above = [resnet("down", "up_above") for _ in range(num_up)]
    self.up_above_left = [resnet("down_right", "up_above_left") for _ in range(num_up)]
    self.down_above = [resnet("down", "down_above") for _ in range(num_down)]
    self.down_above_left = [resnet("down_right", "down_above_left") for _ in range(num_down)]
    self.downsample_above = resample("down", "downsample_above", False)
    self.downsample_above_left = resample("down_right", "downsample_above_left", False)
    self.upsample_above = resample("down", "upsample_above", True)
    self.upsample_above_left = resample("down_right", "upsample_above_left", True)
    self.output_layer = keras.layers.Dense(self.group_params, name="params")

  def build(self, input_shape=None):
    filters = self.num_filters
    image = (None, self.height, self.width, self.network_input_channels + 1)
    for layer in (self.above_input, self.above_left_input_up, self.above_left_input_left):
      layer.build(image)
    for level in range(self.num_resolutions):
      size = (None, self.height >> level, self.width >> level)
      for index in range(level * self.num_resnet, (level + 1) * self.num_resnet):
        self.up_above[index].build(size + (filters,))
        self.up_above_left[index].build(size + (filters,), size + (filters,))
    for level, (first, last) in enumerate(self._down_ranges()):
      size = (None, self.height >> (self.num_resolutions - 1 - level),
              self.width >> (self.num_resolutions - 1 - level))
      for index in range(first, last):
        self.down_above[index].build(size + (filters,), size + (filters,))
        self.down_above_left[index].build(size + (filters,), size + (2 * filters,))
    for layer in (self.downsample_above + self.downsample_above_left + self.upsample_above
                  + self.upsample_above_left):
      layer.build((None, None, None, filters))
    self.output_layer.build((None, None, None, filters))
    self.built = True

  def _down_ranges(self):
    """[first, last) indices of the down pass's resnets at each resolution, coarsest first."""
    ranges, first = [], 0
    for level in range(self.num_resolutions):
      count = self.num_resnet + (1 if level else 0)
      ranges.append((first, first + count))
      first += count
    return ranges

  def _network(self, features, condition, training):
    del condition
    # A channel of ones marks the image inside the zero padding of the shifted convolutions.
    x = tf.concat([features, tf.ones_like(features[..., :1])], axis=-1)
    above_list = [down_shift(self.above_input(x))]
    above_left_list = [down_shift(self.above_left_input_up(x))
                       + right_shift(self.above_left_input_left(x))]
    for level in range(self.num_resolutions):
      for index in range(level * self.num_resnet, (level + 1) * self.num_resnet):
        above_list.append(self.up_above[index](above_list[-1], training=training))
        above_left_list.append(self.up_above_left[index](above_left_list[-1], above_list[-1],
                                                         training=training))
      if level < self.num_resolutions - 1:
        above_list.append(self.downsample_above[level](above_list[-1]))
        above_left_list.append(self.downsample_above_left[level](above_left_list[-1]))
    above, above_left = above_list.pop(), above_left_list.pop()
    for level, (first, last) in enumerate(self._down_ranges()):
      if level:
        above = self.upsample_above[level - 1](above)
        above_left = self.upsample_above_left[level - 1](above_left)
      for index in range(first, last):
        above = self.down_above[index](above, above_list.pop(), training=training)
        above_left = self.down_above_left[index](
            above_left, tf.concat([above, above_left_list.pop()], axis=-1), training=training)
    if above_list or above_left_list:
      raise ValueError(f"internal: {len(above_list)} up-pass outputs left unused")
    return self.output_layer(tf.nn.elu(above_left))

  def get_config(self):
    config = super().get_config()
    config.update(num_filters=self.num_filters, num_resnet=self.num_resnet,
                  num_resolutions=self.num_resolutions, dropout=self.dropout, seed=self.seed)
    return config
