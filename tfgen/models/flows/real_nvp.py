"""RealNVP: affine couplings with checkerboard and channel masks, squeezing, and a multi-scale latent."""

import keras
import tensorflow as tf

from tfgen.layers import coupling
from tfgen.layers.affine_coupling import AffineCoupling
from tfgen.models.flows.flow import Flow


@keras.saving.register_keras_serializable(package="tfgen")
class RealNVP(Flow):
  """A multi-scale stack of affine couplings on images [H, W, C].

    scale s < S-1:  3 checkerboard couplings -> squeeze (2x2 -> channels)
                    -> 3 channel couplings -> half the channels leave as z_s
    last scale:     4 checkerboard couplings -> z_{S-1}
    z = [z_0, ..., z_{S-1}],  log p(x) = log N(z; 0, I) + sum_couplings sum_B s(x_A)

  Each coupling: y_B = x_B exp(s(x_A)) + t(x_A) with a small conv conditioner.

  Args:
    event_shape: (H, W, C), with H and W divisible by 2^(num_scales - 1).
    num_values, logit_alpha, seed: see `Flow`.
    num_scales: S.
    filters: the conditioners' hidden conv filters, e.g. (64, 64).

  Example:
    flow = RealNVP((28, 28, 1), num_values=256, num_scales=3)
    flow.compile(optimizer="adam"); flow.fit(images, epochs=10)
    bits_per_dim = -flow.log_prob(images) / (784 * math.log(2))

  Reference: Dinh, Sohl-Dickstein & Bengio, "Density estimation using Real NVP", 2017.
  """

  def __init__(self, event_shape, num_values=0, logit_alpha=0.05, num_scales=2, filters=(64, 64),
               seed=0, **kwargs):
    super().__init__(event_shape, num_values, logit_alpha, seed, **kwargs)
    if len(self.event_shape) != 3:
      raise ValueError(f"RealNVP needs images [H, W, C], got event_shape={self.event_shape}")
    if int(num_scales) < 1:
      raise ValueError(f"num_scales must be >= 1, got {num_scales}")
    height, width, channels = self.event_shape
    factor = 2 ** (int(num_scales) - 1)
    if height % factor or width % factor:
      raise ValueError(f"{num_scales} scales need H and W divisible by {factor}, got {height}x{width}")
    if (height // factor) * (width // factor) < 2:
      raise ValueError(f"{num_scales} scales leave a {height // factor}x{width // factor} grid at the "
                       "last scale, too small for a checkerboard; use fewer scales")
    self.num_scales = int(num_scales)
    self.filters = tuple(int(size) for size in filters)
    self.scales = []  # Per scale: (checkerboard couplings, channel couplings).
    for scale in range(self.num_scales):
      last = scale == self.num_scales - 1
      checkerboard = [AffineCoupling(coupling.checkerboard_mask(height, width, channels, index % 2),
                                     self.filters, name=f"scale_{scale}_checkerboard_{index}")
                      for index in range(4 if last else 3)]
      channelwise = [] if last else [
          AffineCoupling(coupling.channel_mask(height // 2, width // 2, 4 * channels, index % 2),
                         self.filters, name=f"scale_{scale}_channel_{index}") for index in range(3)]
      self.scales.append((checkerboard, channelwise))
      height, width, channels = height // 2, width // 2, 2 * channels

  def build(self, input_shape=None):
    height, width, channels = self.event_shape
    for checkerboard, channelwise in self.scales:
      for layer in checkerboard:
        if not layer.built:
          layer.build((None, height, width, channels))
      for layer in channelwise:
        if not layer.built:
          layer.build((None, height // 2, width // 2, 4 * channels))
      height, width, channels = height // 2, width // 2, 2 * channels
    self.built = True

  def transform(self, w):
    hidden = w
    log_det = tf.zeros([tf.shape(w)[0]])
    latents = []
    for checkerboard, channelwise in self.scales:
      for layer in checkerboard:
        hidden, layer_log_det = layer.forward(hidden)
        log_det += layer_log_det
      if not channelwise:
        break
      hidden = tf.nn.space_to_depth(hidden, 2)
      for layer in channelwise:
        hidden, layer_log_det = layer.forward(hidden)
        log_det += layer_log_det
      factored, hidden = tf.split(hidden, 2, axis=-1)
      latents.append(factored)
    latents.append(hidden)
    flat = [tf.reshape(latent, [tf.shape(w)[0], -1]) for latent in latents]
    return tf.concat(flat, axis=-1), log_det

  def _latent_shapes(self):
    shapes = []
    height, width, channels = self.event_shape
    for _, channelwise in self.scales:
      if channelwise:
        height, width, channels = height // 2, width // 2, 2 * channels
        shapes.append((height, width, channels))
    shapes.append((height, width, channels))  # What stays through the last scale.
    return shapes

  def inverse_transform(self, z):
    shapes = self._latent_shapes()
    sizes = [height * width * channels for height, width, channels in shapes]
    pieces = tf.split(z, sizes, axis=-1)
    latents = [tf.reshape(piece, (-1,) + shape) for piece, shape in zip(pieces, shapes)]
    hidden = latents[-1]
    for scale in reversed(range(self.num_scales)):
      checkerboard, channelwise = self.scales[scale]
      if channelwise:
        hidden = tf.concat([latents[scale], hidden], axis=-1)
        for layer in reversed(channelwise):
          hidden = layer.inverse(hidden)
        hidden = tf.nn.depth_to_space(hidden, 2)
      for layer in reversed(checkerboard):
        hidden = layer.inverse(hidden)
    return hidden

  def get_config(self):
    config = super().get_config()
    config.update(num_scales=self.num_scales, filters=list(self.filters))
    return config
