"""Masked 2-D convolution (PixelCNN): the output at a pixel sees only pixels before it."""

import keras
import numpy as np
import tensorflow as tf

REGIONS = ("raster", "vertical", "horizontal")


@keras.saving.register_keras_serializable(package="tfgen")
class MaskedConv2D(keras.layers.Layer):
  """A convolution whose kernel is multiplied by a constant causal mask.

    y[r, c, o] = b_o + sum_{i, j, k} (M * W)[i, j, k, o] x[r + i - top, c + j - left, k]

  The kernel keeps only the taps a causal mask can leave non-zero, and the
  input is padded so the output has the input's height and width. Three regions:

    raster      rows above the centre, and the centre row up to the centre
                (PixelCNN; the kernel is (kh//2 + 1) x kw)
    vertical    rows above and at the centre, every column (the vertical stack
                of Gated PixelCNN, which a model shifts down one row before the
                horizontal stack reads it; (kh//2 + 1) x kw)
    horizontal  the centre row up to the centre (1 x (kw//2 + 1))

  At the centre tap, channels are in `num_groups` contiguous groups (3 for
  RGB: R, G, B): input group g reaches output group h when g < h (mask "A", a
  model's first layer, which must not see the pixel it predicts) or g <= h
  (mask "B", later layers). One group gives the plain A/B masks. The vertical
  region has no centre rule. Outputs that a model splits into parts (a gate's
  [f, g], an LSTM's [o, f, i, g]) come in `num_output_blocks` equal blocks,
  each in the groups' order, so `tf.split` keeps every part grouped.

  `step` computes the output at one pixel from a cache of past inputs, and
  `row_step` one whole row: the fast generation of Ramachandran et al.

  Args:
    filters: output channels (a multiple of num_groups x num_output_blocks).
    kernel_size: k or (kh, kw), odd.
    mask_type: "A" or "B" (the centre rule; a vertical region has none, and ignores it).
    region: "raster", "vertical" or "horizontal".
    num_groups: channel groups of the input and the output (1, or 3 for RGB).
    num_output_blocks: equal blocks of the outputs, each holding every group in order.
    use_bias, kernel_initializer: as in keras.layers.Conv2D.

  Shapes: [batch, height, width, channels] -> [batch, height, width, filters].

  References: van den Oord et al., "Pixel Recurrent Neural Networks", ICML 2016
  (masks A and B, RGB groups); van den Oord et al., "Conditional Image
  Generation with PixelCNN Decoders", NeurIPS 2016 (vertical and horizontal
  stacks); Ramachandran et al., "Fast Generation for Convolutional
  Autoregressive Models", ICLR workshop 2017.
  """

  def __init__(self, filters, kernel_size, mask_type="B", region="raster", num_groups=1,
               num_output_blocks=1, use_bias=True, kernel_initializer="glorot_uniform", **kwargs):
    super().__init__(**kwargs)
    kernel_size = (kernel_size, kernel_size) if np.ndim(kernel_size) == 0 else tuple(kernel_size)
    if len(kernel_size) != 2 or min(kernel_size) < 1 or any(size % 2 == 0 for size in kernel_size):
      raise ValueError(f"MaskedConv2D needs an odd kernel_size (k or (kh, kw)), got {kernel_size}")
    if mask_type not in ("A", "B"):
      raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
    if region not in REGIONS:
      raise ValueError(f"region must be one of {', '.join(REGIONS)}, got {region!r}")
    if (int(num_groups) < 1 or int(num_output_blocks) < 1 or int(filters) < 1
        or int(filters) % (int(num_groups) * int(num_output_blocks))):
      raise ValueError(f"MaskedConv2D needs filters >= 1, a multiple of num_groups x "
                       f"num_output_blocks (each >= 1); got filters={filters}, num_groups="
                       f"{num_groups}, num_output_blocks={num_output_blocks}")
    self.filters = int(filters)
    self.kernel_size = tuple(int(size) for size in kernel_size)
    self.mask_type = mask_type
    self.region = region
    self.num_groups = int(num_groups)
    self.num_output_blocks = int(num_output_blocks)
    self.use_bias = bool(use_bias)
    self.kernel_initializer = keras.initializers.get(kernel_initializer)
    height, width = self.kernel_size
    if region == "horizontal":
      self.kept_shape = (1, width // 2 + 1)
      self.padding = ((0, 0), (width // 2, 0))
    else:
      self.kept_shape = (height // 2 + 1, width)
      self.padding = ((height // 2, 0), (width // 2, width // 2))

  def build(self, input_shape):
    channels = int(input_shape[-1])
    if channels % self.num_groups:
      raise ValueError(f"MaskedConv2D with num_groups={self.num_groups} needs input channels in "
                       f"equal groups, got {channels} channels")
    self.input_channels = channels
    self.kernel = self.add_weight(name="kernel", shape=self.kept_shape + (channels, self.filters),
                                  initializer=self.kernel_initializer)
    self.bias = (self.add_weight(name="bias", shape=(self.filters,), initializer="zeros")
                 if self.use_bias else None)
    # A NumPy constant, not a tensor: it is made into a graph constant in each call.
    self.mask = self.mask_array(channels)

  def mask_array(self, input_channels):
    """The 0/1 mask of the kept kernel: [kept_h, kept_w, input_channels, filters]."""
    mask = np.ones(self.kept_shape + (input_channels, self.filters), np.float32)
    if self.region == "vertical":
      return mask
    centre_row, centre_col = self.kept_shape[0] - 1, self.kept_shape[1] - 1
    if self.region == "raster":
      centre_col = self.kernel_size[1] // 2
      mask[centre_row, centre_col + 1:] = 0.0
    input_group = np.arange(input_channels) * self.num_groups // input_channels
    block_size = self.filters // self.num_output_blocks
    output_group = (np.arange(self.filters) % block_size) * self.num_groups // block_size
    if self.mask_type == "A":
      allowed = input_group[:, np.newaxis] < output_group[np.newaxis, :]
    else:
      allowed = input_group[:, np.newaxis] <= output_group[np.newaxis, :]
    mask[centre_row, centre_col] = allowed.astype(np.float32)
    return mask

  def masked_kernel(self):
    kernel = self.kernel  # The compute dtype under a mixed-precision policy.
    return kernel * tf.cast(self.mask, kernel.dtype)

  def call(self, inputs):
    if inputs.shape.rank != 4:
      raise ValueError(f"MaskedConv2D expects [batch, height, width, channels], got shape "
                       f"{inputs.shape}")
    padded = tf.pad(inputs, [[0, 0], list(self.padding[0]), list(self.padding[1]), [0, 0]])
    outputs = tf.nn.conv2d(padded, self.masked_kernel(), strides=1, padding="VALID")
    if self.bias is not None:
      outputs = outputs + self.bias
    return outputs

  # ---- fast generation ---------------------------------------------------
  # A cache holds the padded input, spatial axes first: [H + top, W + left + right, batch, C].

  def initial_cache(self, batch_size, height, width):
    """Zeros for every input of an image not yet generated (the padding stays zero)."""
    (top, bottom), (left, right) = self.padding
    return tf.zeros([height + top + bottom, width + left + right, batch_size, self.input_channels])

  def step(self, cache, inputs, row, col):
    """Writes inputs [batch, C] at (row, col) into the cache; returns (output [batch, filters], cache).

    The output equals `call`'s at (row, col) once the cache holds every input
    the mask lets it see. A vertical region sees later columns of its row: use
    `row_step` for it.
    """
    if self.region == "vertical":
      raise ValueError("a vertical MaskedConv2D sees the whole row: step it a row at a time "
                       "(row_step)")
    top, left = self.padding[0][0], self.padding[1][0]
    cache = tf.tensor_scatter_nd_update(cache, [[row + top, col + left]], inputs[tf.newaxis])
    return self.patch_output(tf.slice(cache, [row, col, 0, 0], self.kept_shape + (-1, -1))), cache

  def patch_output(self, patch):
    """The output at one pixel from its input patch [kept_h, kept_w, batch, C]: [batch, filters]."""
    outputs = tf.einsum("hwbi,hwio->bo", patch, self.masked_kernel())
    if self.bias is not None:
      outputs = outputs + self.bias
    return outputs

  def pointwise(self, inputs):
    """A 1x1 layer at one pixel: inputs [batch, C] -> [batch, filters]."""
    if self.kept_shape != (1, 1):
      raise ValueError(f"pointwise needs a 1x1 kernel; this one keeps {self.kept_shape}")
    return self.patch_output(inputs[tf.newaxis, tf.newaxis])

  def row_step(self, cache, inputs, row):
    """Writes a row of inputs [batch, W, C] at `row`; returns (outputs [batch, W, filters], cache)."""
    (top, _), (left, right) = self.padding
    padded_row = tf.pad(tf.transpose(inputs, [1, 0, 2]), [[left, right], [0, 0], [0, 0]])
    cache = tf.tensor_scatter_nd_update(cache, [[row + top]], padded_row[tf.newaxis])
    return self.rows_output(tf.slice(cache, [row, 0, 0, 0], [self.kept_shape[0], -1, -1, -1])), cache

  def rows_output(self, rows):
    """Outputs of one row from its padded input rows [kept_h, W + left + right, batch, C]: [batch, W, filters]."""
    outputs = tf.nn.conv2d(tf.transpose(rows, [2, 0, 1, 3]), self.masked_kernel(), strides=1,
                           padding="VALID")[:, 0]
    if self.bias is not None:
      outputs = outputs + self.bias
    return outputs

  def compute_output_shape(self, input_shape):
    return tuple(input_shape[:-1]) + (self.filters,)

  def get_config(self):
    config = super().get_config()
    config.update(filters=self.filters, kernel_size=list(self.kernel_size),
                  mask_type=self.mask_type, region=self.region, num_groups=self.num_groups,
                  num_output_blocks=self.num_output_blocks,
                  use_bias=self.use_bias,
                  kernel_initializer=keras.initializers.serialize(self.kernel_initializer))
    return config
