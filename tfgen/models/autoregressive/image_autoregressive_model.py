"""Shared pieces of the image models (PixelCNN, Gated PixelCNN, PixelCNN++, PixelRNN)."""

import tensorflow as tf

from tfgen.models.autoregressive.autoregressive_model import AutoregressiveModel


class ImageAutoregressiveModel(AutoregressiveModel):
  """p(x) = prod_{r, c} prod_k p(x[r, c, k] | x[<(r, c)], x[r, c, <k]) over images [batch, H, W, C].

  Pixels come in raster order (row by row, left to right) and, under a head
  with one value per element (Bernoulli, Categorical, an uncoupled mixture),
  the channels of a pixel in order (R, then G, then B): the network's features
  are then in C contiguous channel groups, and group k of a pixel's features
  sees channels < k of that pixel (`MaskedConv2D(num_groups=C)`). A head that
  couples a pixel's channels (DiscretizedLogisticMixture(coupled_channels=C))
  draws the pixel at once: one group.

  Subclasses implement `_network(features, condition, training)`: features
  [batch, H, W, groups * F] -> outputs [batch, H, W, groups * P]. A model with
  a fast cached step sets `has_cached_step` and implements
  `_initial_pixel_state` and `_pixel_step`; without one, sampling reruns the
  network for each value.

  Args:
    event_shape: (height, width, channels).
    head: `tfgen.heads.Head` for one value, or for one pixel's coupled channels.
    num_conditions: classes of a label to condition on; 0 = unconditional.
  """

  has_cached_step = False
  # Whether the network takes a class label (num_conditions > 0).
  takes_conditions = False

  @property
  def _stateless_sampling(self):
    # A cached step must see every pixel, given ones included, to fill its caches.
    return not self.has_cached_step

  def __init__(self, event_shape, head, num_conditions=0, **kwargs):
    super().__init__(event_shape, head, **kwargs)
    if len(self.event_shape) != 3:
      raise ValueError(f"{type(self).__name__} models images: event_shape must be (height, width, "
                       f"channels), got {tuple(event_shape)}")
    if int(num_conditions) < 0:
      raise ValueError(f"num_conditions must be >= 0, got {num_conditions}")
    if int(num_conditions) and not self.takes_conditions:
      raise ValueError(f"{type(self).__name__} is unconditional; GatedPixelCNN takes "
                       "num_conditions")
    self.num_conditions = int(num_conditions)
    self.height, self.width, self.channels = self.event_shape
    # One group per channel when each channel is its own element, else one per pixel.
    self.num_groups = self.channels if self.element_size == 1 else 1
    self.group_features = self.input_features  # Features per group of the network's input.
    self.group_params = self.params_shape[-1]  # Head parameters per group.
    self.network_input_channels = self.num_groups * self.group_features

  def widen_to_groups(self, width):
    """`width` rounded up to a multiple of the channel groups (every group gets as many features)."""
    return -(-int(width) // self.num_groups) * self.num_groups

  def check_kernel_sizes(self, kernel_size, input_kernel_size):
    """Raises a ValueError unless both are odd, and the type-A input kernel is at least 3."""
    for name, value, smallest in (("kernel_size", kernel_size, 1),
                                  ("input_kernel_size", input_kernel_size, 3)):
      if int(value) < smallest or int(value) % 2 == 0:
        raise ValueError(f"{type(self).__name__} needs an odd {name} >= {smallest}, got {value} "
                         "(a 1x1 type-A input convolution sees nothing)")

  # ---- the full network --------------------------------------------------

  def image_features(self, x):
    """x [batch, H, W, C] -> network input [batch, H, W, groups * F]."""
    return tf.reshape(self.encode_inputs(x),
                      [-1, self.height, self.width, self.network_input_channels])

  def call(self, inputs, training=None):
    x, condition = self.split_inputs(inputs)
    self.check_event_shape(x)
    outputs = self._network(self.image_features(x), condition, training)
    return tf.reshape(outputs, (-1,) + self.params_shape)

  def _network(self, features, condition, training):
    raise NotImplementedError

  # ---- cached sampling ---------------------------------------------------

  def encode_pixels(self, raw):
    """Raw pixels [..., C] -> their features [..., groups * F]."""
    shape = tf.shape(raw)[:-1]
    grouped = tf.reshape(raw, tf.concat([shape, [self.num_groups, self.element_size]], 0))
    features = self.encode_elements(grouped)
    return tf.reshape(features, tf.concat([shape, [self.network_input_channels]], 0))

  def input_window(self, values, layer, row, col=None):
    """Encoded inputs a first `MaskedConv2D` reads for one pixel (or one row when col is None).

    Args:
      values: [batch, H, W, C] raw pixels (not yet drawn ones are masked out by the layer).
      layer: the MaskedConv2D that reads the image.
    Returns:
      [kept_h, kept_w, batch, groups * F] for a pixel, [kept_h, W + pad, batch, groups * F] for a row.
    """
    padding = [list(layer.padding[0]), list(layer.padding[1]), [0, 0], [0, 0]]
    spatial = tf.pad(tf.transpose(values, [1, 2, 0, 3]), padding)
    inside = tf.pad(tf.ones([self.height, self.width, 1, 1]), padding)  # Padding stays zero.
    if col is None:
      begin, size = [row, 0, 0, 0], [layer.kept_shape[0], -1, -1, -1]
    else:
      begin, size = [row, col, 0, 0], list(layer.kept_shape) + [-1, -1]
    return self.encode_pixels(tf.slice(spatial, begin, size)) * tf.slice(inside, begin, size)

  def _initial_sample_state(self, values, condition):
    if not self.has_cached_step:
      return super()._initial_sample_state(values, condition)
    return self._initial_pixel_state(tf.shape(values)[0])

  def _sample_step(self, values, step, position, state, condition):
    if not self.has_cached_step:
      return super()._sample_step(values, step, position, state, condition)
    pixel, group = position // self.num_groups, position % self.num_groups
    outputs, state = self._pixel_step(values, pixel // self.width, pixel % self.width, group,
                                      state, condition)
    outputs = tf.reshape(outputs, [-1, self.num_groups, self.group_params])
    return tf.gather(outputs, group, axis=1), state

  def _initial_pixel_state(self, batch_size):
    raise NotImplementedError

  def _pixel_step(self, values, row, col, group, state, condition):
    """Outputs [batch, groups * P] at (row, col) given the pixels before it; and the new state.

    `group` is the channel group drawn at this step: a step for each group of a
    pixel, so the state must be right whichever the group.
    """
    raise NotImplementedError

  def get_config(self):
    config = super().get_config()
    if self.takes_conditions:
      config.update(num_conditions=self.num_conditions)
    return config
