"""PixelCNN: masked convolutions with residual blocks, and its fast cached sampler."""

import keras
import tensorflow as tf

from tfgen.layers.masked_conv2d import MaskedConv2D
from tfgen.models.autoregressive.image_autoregressive_model import ImageAutoregressiveModel
from tfgen.utils import checks


@keras.saving.register_keras_serializable(package="tfgen")
class PixelCNN(ImageAutoregressiveModel):
  """Masked convolutions over the pixels before each one, in raster (and RGB) order.

    h^0 = MaskedConv_A^{7x7}(x)                                    [.., 2F]
    h^l = h^{l-1} + W_3 relu(MaskedConv_B^{3x3}(relu(W_1 relu(h^{l-1}))))
    params = W_o relu(W_h relu(h^L))      (W_1, W_3, W_h, W_o: masked 1x1 convolutions)
    p(x) = prod_{r, c, k} head(x[r, c, k] | params[r, c, k])

  Masks make the output at a pixel see only pixels above it and to its left
  (and, with RGB groups, the earlier channels of the pixel itself), so the
  likelihood is one pass. Stacked 3x3 masks leave a blind spot up and to the
  right of each pixel; Gated PixelCNN removes it.

  Sampling: `sample(..., cached=False)` reruns the network for each value; the
  default cached step (Ramachandran et al. 2017) keeps each 3x3 layer's past
  inputs and computes every layer at the new pixel only: for a one-channel
  image one network's worth of work in all (C passes for C channels drawn one
  by one), with the same samples for the same seed.

  Args:
    event_shape: (height, width, channels).
    head: Bernoulli for binary images, Categorical(K) for K levels (256 for
      8-bit), or a DiscretizedLogisticMixture.
    num_filters: F, the width of the 3x3 convolutions (the residual stream has 2F).
    num_residual_blocks: L.
    kernel_size: of the blocks' masked convolutions (odd).
    input_kernel_size: of the first, type-A convolution (odd).
    num_output_filters: width of the hidden 1x1 output layer.

  Example:
    model = PixelCNN((28, 28, 1), tfgen.heads.Bernoulli(), num_filters=32)
    model.compile(keras.optimizers.Adam(1e-3)); model.fit(images)
    completions = model.sample(4, conditioned_on=images[:4], mask=top_half)

  References: van den Oord et al., "Pixel Recurrent Neural Networks", ICML 2016;
  Ramachandran et al., "Fast Generation for Convolutional Autoregressive
  Models", ICLR workshop 2017.
  """

  has_cached_step = True

  def __init__(self, event_shape, head, num_filters=64, num_residual_blocks=7, kernel_size=3,
               input_kernel_size=7, num_output_filters=128, **kwargs):
    super().__init__(event_shape, head, **kwargs)
    checks.at_least_one("PixelCNN", num_filters=num_filters, num_output_filters=num_output_filters)
    self.check_kernel_sizes(kernel_size, input_kernel_size)
    if int(num_residual_blocks) < 0:
      raise ValueError(f"num_residual_blocks must be >= 0, got {num_residual_blocks}")
    self.num_filters = int(num_filters)
    self.num_residual_blocks = int(num_residual_blocks)
    self.kernel_size = int(kernel_size)
    self.input_kernel_size = int(input_kernel_size)
    self.num_output_filters = int(num_output_filters)
    def masked(filters, kernel_size, mask_type="B", name=None):
      return MaskedConv2D(self.widen_to_groups(filters), kernel_size, mask_type=mask_type,
                          num_groups=self.num_groups, name=name)

    self.input_conv = masked(2 * self.num_filters, self.input_kernel_size, "A", "input_conv")
    self.stream_width = self.input_conv.filters
    self.block_convs = [
        (masked(self.num_filters, 1, name=f"block_{index}_in"),
         masked(self.num_filters, self.kernel_size, name=f"block_{index}_conv"),
         masked(self.stream_width, 1, name=f"block_{index}_out"))
        for index in range(self.num_residual_blocks)]
    self.output_hidden = masked(self.num_output_filters, 1, name="output_hidden")
    self.output_conv = masked(self.num_groups * self.group_params, 1, name="output_conv")

  def build(self, input_shape=None):
    self.input_conv.build((None, self.height, self.width, self.network_input_channels))
    for conv_in, conv, conv_out in self.block_convs:
      conv_in.build((None, self.height, self.width, self.stream_width))
      conv.build((None, self.height, self.width, conv_in.filters))
      conv_out.build((None, self.height, self.width, conv.filters))
    self.output_hidden.build((None, self.height, self.width, self.stream_width))
    self.output_conv.build((None, self.height, self.width, self.output_hidden.filters))
    self.built = True

  def _network(self, features, condition, training):
    del condition, training
    hidden = self.input_conv(features)
    for conv_in, conv, conv_out in self.block_convs:
      inner = tf.nn.relu(conv_in(tf.nn.relu(hidden)))
      hidden = hidden + conv_out(tf.nn.relu(conv(inner)))
    return self.output_conv(tf.nn.relu(self.output_hidden(tf.nn.relu(hidden))))

  # ---- the cached step: each layer at one pixel ---------------------------

  def _initial_pixel_state(self, batch_size):
    return tuple(conv.initial_cache(batch_size, self.height, self.width)
                 for _, conv, _ in self.block_convs)

  def _pixel_step(self, values, row, col, group, state, condition):
    del group, condition  # Every group is recomputed at the pixel, overwriting the caches.
    hidden = self.input_conv.patch_output(self.input_window(values, self.input_conv, row, col))
    caches = []
    for (conv_in, conv, conv_out), cache in zip(self.block_convs, state):
      inner = tf.nn.relu(conv_in.pointwise(tf.nn.relu(hidden)))
      convolved, cache = conv.step(cache, inner, row, col)
      hidden = hidden + conv_out.pointwise(tf.nn.relu(convolved))
      caches.append(cache)
    outputs = self.output_conv.pointwise(
        tf.nn.relu(self.output_hidden.pointwise(tf.nn.relu(hidden))))
    return outputs, tuple(caches)

  def get_config(self):
    config = super().get_config()
    config.update(num_filters=self.num_filters, num_residual_blocks=self.num_residual_blocks,
                  kernel_size=self.kernel_size, input_kernel_size=self.input_kernel_size,
                  num_output_filters=self.num_output_filters)
    return config

