"""Gated PixelCNN: vertical and horizontal stacks (no blind spot), gates, class conditioning."""

import keras
import tensorflow as tf

from tfgen.layers.masked_conv2d import MaskedConv2D
from tfgen.models.autoregressive.image_autoregressive_model import ImageAutoregressiveModel
from tfgen.utils import checks


@keras.saving.register_keras_serializable(package="tfgen")
class GatedPixelCNN(ImageAutoregressiveModel):
  """Two stacks of gated masked convolutions: rows above (vertical) and the row so far (horizontal).

    v_pre^l = VerticalConv^l(v^{l-1})                     rows <= r, every column
    v^l     = tanh(v_f + V_f c) . sigmoid(v_g + V_g c)    (v_pre^l = [v_f, v_g])
    h_pre^l = HorizontalConv^l(h^{l-1}) + W_link ShiftDown(v_pre^l)
    h^l     = h^{l-1} + W_res (tanh(h_f + H_f c) . sigmoid(h_g + H_g c))   (h^1 = W_res (...))
    params  = W_o relu(W_h relu(h^L));   p(x) = prod_{r, c, k} head(x[r, c, k] | params[r, c, k])

  The vertical stack sees every column of the rows above, shifted down one row
  before the horizontal stack reads it; the horizontal stack sees the current
  row up to the pixel (the first layer excludes it: mask A). Together they
  cover every earlier pixel: no blind spot. c is a one-hot class label
  (num_conditions > 0), added inside every gate.

  Sampling: the cached step computes each vertical layer one row at a time
  (when the row above is complete) and each horizontal layer at the new pixel
  only (Ramachandran et al. 2017); `cached=False` reruns the network for each
  value and gives the same samples.

  Args:
    event_shape: (height, width, channels).
    head: Bernoulli, Categorical(K) or DiscretizedLogisticMixture.
    num_filters: P, the width of both stacks.
    num_layers: L gated layers.
    kernel_size: of the layers after the first (odd).
    input_kernel_size: of the first layer (odd).
    num_output_filters: width of the hidden 1x1 output layer.
    num_conditions: classes of the label; 0 = unconditional.

  Example:
    model = GatedPixelCNN((28, 28, 1), tfgen.heads.Bernoulli(), num_conditions=10)
    model.fit((images, labels)); sevens = model.sample(8, condition=7)

  References: van den Oord et al., "Conditional Image Generation with PixelCNN
  Decoders", NeurIPS 2016; Ramachandran et al., "Fast Generation for
  Convolutional Autoregressive Models", ICLR workshop 2017.
  """

  has_cached_step = True
  takes_conditions = True

  def __init__(self, event_shape, head, num_filters=64, num_layers=8, kernel_size=3,
               input_kernel_size=7, num_output_filters=128, num_conditions=0, **kwargs):
    super().__init__(event_shape, head, num_conditions=num_conditions, **kwargs)
    checks.at_least_one("GatedPixelCNN", num_filters=num_filters, num_layers=num_layers,
                        num_output_filters=num_output_filters)
    self.check_kernel_sizes(kernel_size, input_kernel_size)
    self.num_layers = int(num_layers)
    self.kernel_size = int(kernel_size)
    self.input_kernel_size = int(input_kernel_size)
    self.num_output_filters = int(num_output_filters)
    groups = self.num_groups
    self.num_filters = self.widen_to_groups(num_filters)
    width = self.num_filters
    self.vertical_convs, self.horizontal_convs, self.links, self.residuals = [], [], [], []
    self.vertical_conditions, self.horizontal_conditions = [], []
    for index in range(self.num_layers):
      kernel = self.input_kernel_size if index == 0 else self.kernel_size
      self.vertical_convs.append(MaskedConv2D(2 * width, kernel, region="vertical",
                                              name=f"vertical_{index}"))
      self.horizontal_convs.append(MaskedConv2D(2 * width, kernel, "A" if index == 0 else "B",
                                                region="horizontal", num_groups=groups,
                                                num_output_blocks=2, name=f"horizontal_{index}"))
      self.links.append(keras.layers.Dense(2 * width, name=f"link_{index}"))
      self.residuals.append(MaskedConv2D(width, 1, num_groups=groups, name=f"residual_{index}"))
      if self.num_conditions:
        if index < self.num_layers - 1:  # The last layer's vertical gate feeds nothing.
          self.vertical_conditions.append(
              keras.layers.Dense(2 * width, use_bias=False, name=f"vertical_condition_{index}"))
        self.horizontal_conditions.append(
            keras.layers.Dense(2 * width, use_bias=False, name=f"horizontal_condition_{index}"))
    self.output_hidden = MaskedConv2D(self.widen_to_groups(self.num_output_filters), 1,
                                      num_groups=groups, name="output_hidden")
    self.output_conv = MaskedConv2D(groups * self.group_params, 1, num_groups=groups,
                                    name="output_conv")

  def build(self, input_shape=None):
    image = (None, self.height, self.width)
    width = self.num_filters
    for index in range(self.num_layers):
      inputs = self.network_input_channels if index == 0 else width
      self.vertical_convs[index].build(image + (inputs,))
      self.horizontal_convs[index].build(image + (inputs,))
      self.links[index].build(image + (2 * width,))
      self.residuals[index].build(image + (width,))
    for dense in self.vertical_conditions + self.horizontal_conditions:
      dense.build((None, self.num_conditions))
    self.output_hidden.build(image + (width,))
    self.output_conv.build(image + (self.output_hidden.filters,))
    self.built = True

  def _gate(self, pre_activation):
    """tanh(f) . sigmoid(g) for [f, g] = pre_activation: [..., 2P] -> [..., P].

    The horizontal convolutions emit [f, g] as two blocks, each in the channel
    groups' order (`num_output_blocks=2`), so the halves keep RGB ordering.
    """
    filters, gates = tf.split(pre_activation, 2, axis=-1)
    return tf.tanh(filters) * tf.sigmoid(gates)

  def _conditioned(self, pre_activation, dense_layers, index, condition):
    """Adds layer `index`'s class vector to a [batch, ..., 2P] pre-activation."""
    if condition is None or not dense_layers:
      return pre_activation
    bias = dense_layers[index](condition)
    return pre_activation + tf.reshape(bias, [-1] + [1] * (pre_activation.shape.rank - 2)
                                       + [2 * self.num_filters])

  def _network(self, features, condition, training):
    del training
    vertical, horizontal = features, features
    for index in range(self.num_layers):
      vertical_pre = self.vertical_convs[index](vertical)
      shifted = tf.pad(vertical_pre, [[0, 0], [1, 0], [0, 0], [0, 0]])[:, :-1]
      horizontal_pre = self.horizontal_convs[index](horizontal) + self.links[index](shifted)
      if index < self.num_layers - 1:  # The next vertical layer's input.
        vertical = self._gate(self._conditioned(vertical_pre, self.vertical_conditions, index,
                                                condition))
      gated = self._gate(self._conditioned(horizontal_pre, self.horizontal_conditions, index,
                                           condition))
      update = self.residuals[index](gated)
      horizontal = update if index == 0 else horizontal + update
    return self.output_conv(tf.nn.relu(self.output_hidden(tf.nn.relu(horizontal))))

  # ---- the cached step: vertical layers a row at a time, horizontal ones a pixel --

  def _initial_pixel_state(self, batch_size):
    vertical_caches = tuple(conv.initial_cache(batch_size, self.height, self.width)
                            for conv in self.vertical_convs[1:])
    horizontal_caches = tuple(conv.initial_cache(batch_size, self.height, self.width)
                              for conv in self.horizontal_convs[1:])
    # Each layer's vertical pre-activation on the row above: zeros above the first row.
    rows_above = tf.zeros([self.num_layers, batch_size, self.width, 2 * self.num_filters])
    return vertical_caches, horizontal_caches, rows_above

  def _vertical_row(self, values, row, vertical_caches, condition):
    """Every vertical layer's pre-activation on `row`: [L, batch, W, 2P], and the caches."""
    first = self.vertical_convs[0]
    vertical_pre = first.rows_output(self.input_window(values, first, row))
    rows, caches = [vertical_pre], []
    for index, (conv, cache) in enumerate(zip(self.vertical_convs[1:], vertical_caches)):
      below = self._gate(self._conditioned(vertical_pre, self.vertical_conditions, index,
                                           condition))
      vertical_pre, cache = conv.row_step(cache, below, row)
      rows.append(vertical_pre)
      caches.append(cache)
    return tf.stack(rows), tuple(caches)

  def _pixel_step(self, values, row, col, group, state, condition):
    vertical_caches, horizontal_caches, rows_above = state
    condition = condition if self.num_conditions else None  # The loop passes [batch, 0] then.
    new_row = tf.logical_and(tf.logical_and(row > 0, col == 0), tf.equal(group, 0))
    rows_above, vertical_caches = tf.cond(
        new_row,
        lambda: self._vertical_row(values, row - 1, vertical_caches, condition),
        lambda: (rows_above, vertical_caches))
    first = self.horizontal_convs[0]
    horizontal, caches = None, []
    for index in range(self.num_layers):
      conv = self.horizontal_convs[index]
      if index == 0:
        convolved = first.patch_output(self.input_window(values, first, row, col))
      else:
        convolved, cache = conv.step(horizontal_caches[index - 1], horizontal, row, col)
        caches.append(cache)
      pre = convolved + self.links[index](rows_above[index][:, col])
      gated = self._gate(self._conditioned(pre, self.horizontal_conditions, index, condition))
      update = self.residuals[index].pointwise(gated)
      horizontal = update if index == 0 else horizontal + update
    outputs = self.output_conv.pointwise(
        tf.nn.relu(self.output_hidden.pointwise(tf.nn.relu(horizontal))))
    return outputs, (vertical_caches, tuple(caches), rows_above)

  def get_config(self):
    config = super().get_config()
    config.update(num_filters=self.num_filters, num_layers=self.num_layers,
                  kernel_size=self.kernel_size, input_kernel_size=self.input_kernel_size,
                  num_output_filters=self.num_output_filters)
    return config
