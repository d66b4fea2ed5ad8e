"""CycleGAN (Zhu et al. 2017): unpaired translation between two image domains, trained with `fit`."""

import keras
import tensorflow as tf

from tfgen.models.adversarial import cycle_gan_networks
from tfgen.models.adversarial import gan_losses
from tfgen.models.adversarial.optimizer_pair import optimizer_pair
from tfgen.models.adversarial.image_history import ImageHistory
from tfgen.models.generative_model import GenerativeModel
from tfgen.models.losses import scale_for_update
from tfgen.utils import tiling


@keras.saving.register_keras_serializable(package="tfgen")
class CycleGAN(GenerativeModel):
  """Two generators G: A -> B and F: B -> A, each judged by a PatchGAN, tied by cycle consistency.

    L_GAN(G, D_B) = E_b[(D_B(b) - 1)^2] + E_a[D_B(G(a))^2]          (least squares, per patch)
    L_cyc(G, F)   = E_a|F(G(a)) - a|_1 + E_b|G(F(b)) - b|_1
    L_id(G, F)    = E_b|G(b) - b|_1 + E_a|F(a) - a|_1
    L_G = E_a[(D_B(G(a)) - 1)^2] + E_b[(D_A(F(b)) - 1)^2]
          + cycle_weight * L_cyc + cycle_weight * identity_weight * L_id
    L_D_B = 1/2 (E_b[(D_B(b) - 1)^2] + E[D_B(h)^2]),  h from the history of G(a) (and D_A alike)

  The identity term weighs identity_weight * cycle_weight, as in the authors'
  code (lambda_identity = 0.5 of lambda = 10). Each training step takes one
  Adam step on both generators together, then one on both discriminators, which
  see generated images through a 50-image history (`ImageHistory`).

  Inputs are pairs (a, b) of *unpaired* images on the data's scale [0, num_values - 1]
  (a dataset of tuples); `translate` maps images of any size in either direction.
  The model has no likelihood and no prior to sample from.

  Args:
    event_shape: (H, W, C) of the training crops (the history stores them).
    num_values: levels of the data (256 for 8-bit images).
    num_filters: the networks' first-layer filters (64 in the paper).
    num_residual_blocks: the generators' residual blocks (9 at 256x256, 6 at 128x128).
    num_downsamplings: the generators' stride-2 steps; image sides are padded
      to a multiple of 2^num_downsamplings.
    num_discriminator_layers: stride-2 layers of the PatchGANs (3: 70x70 patches).
    cycle_weight: lambda of the cycle loss (10).
    identity_weight: the identity loss's weight relative to cycle_weight (0.5; 0 = off).
    history_size: generated images D sees again (50; 0 = only the newest).
    upsampling: "transposed" or "resize" (no checkerboard artifacts).
    padding: "reflect" or "zero" borders in the generators.
    spectral_norm: spectral normalization in the discriminators.
    seed: seeds the history's draws.

  Example:
    model = CycleGAN((64, 64, 3), 256, num_residual_blocks=6)
    model.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    model.fit(tf.data.Dataset.zip((horses, zebras)), epochs=200)
    zebra = model.translate(horse_photo[None], "a2b")

  Reference: Zhu, Park, Isola & Efros, "Unpaired Image-to-Image Translation
  using Cycle-Consistent Adversarial Networks", ICCV 2017; keras-io's CycleGAN.
  """

  likelihood_kind = None
  checkpoint_monitor = None  # The losses do not rank generators: keep the latest.
  num_optimizers = 2
  DIRECTIONS = ("a2b", "b2a")

  def __init__(self, event_shape, num_values=256, num_filters=64, num_residual_blocks=9,
               num_downsamplings=2, num_discriminator_layers=3, cycle_weight=10.0,
               identity_weight=0.5, history_size=50, upsampling="transposed", padding="reflect",
               spectral_norm=False, seed=0, **kwargs):
    super().__init__(**kwargs)
    self.event_shape = tuple(int(side) for side in event_shape)
    if len(self.event_shape) != 3:
      raise ValueError(f"CycleGAN translates images [height, width, channels], got event_shape="
                       f"{self.event_shape}")
    if num_values is None or int(num_values) < 2:
      raise ValueError(f"num_values must be the data's number of levels (>= 2), got {num_values}")
    for field, value in (("num_filters", num_filters), ("num_downsamplings", num_downsamplings),
                         ("num_discriminator_layers", num_discriminator_layers),
                         ("num_residual_blocks", num_residual_blocks + 1)):
      if int(value) < 1:
        raise ValueError(f"{field} must be >= {1 if field != 'num_residual_blocks' else 0}, "
                         f"got {value}")
    if float(cycle_weight) < 0 or float(identity_weight) < 0:
      raise ValueError(f"cycle_weight and identity_weight must be >= 0, got {cycle_weight} and "
                       f"{identity_weight}")
    self.num_values = int(num_values)
    self.num_filters, self.num_residual_blocks = int(num_filters), int(num_residual_blocks)
    self.num_downsamplings = int(num_downsamplings)
    self.num_discriminator_layers = int(num_discriminator_layers)
    self.cycle_weight, self.identity_weight = float(cycle_weight), float(identity_weight)
    self.history_size, self.seed = int(history_size), int(seed)
    self.upsampling, self.padding, self.spectral_norm = upsampling, padding, bool(spectral_norm)
    multiple = 2 ** self.num_downsamplings
    if self.event_shape[0] % multiple or self.event_shape[1] % multiple:
      raise ValueError(f"training crops must have sides divisible by 2^num_downsamplings = "
                       f"{multiple}, got {self.event_shape[:2]}")
    channels = self.event_shape[-1]

    def generator(name):
      return cycle_gan_networks.resnet_generator(
          channels, self.num_filters, self.num_residual_blocks, self.num_downsamplings,
          upsampling, padding, name=name)

    def discriminator(name):
      return cycle_gan_networks.patch_discriminator(
          channels, self.num_filters, self.num_discriminator_layers, self.spectral_norm, name=name)

    self.generator_a2b, self.generator_b2a = generator("generator_a2b"), generator("generator_b2a")
    self.discriminator_a = discriminator("discriminator_a")
    self.discriminator_b = discriminator("discriminator_b")
    self.history_a = ImageHistory(self.event_shape, self.history_size, self.seed, name="history_a")
    self.history_b = ImageHistory(self.event_shape, self.history_size, self.seed + 1,
                                  name="history_b")
    self.trackers = {name: keras.metrics.Mean(name=name) for name in (
        "g_loss", "cycle_loss", "identity_loss", "d_a_loss", "d_b_loss")}
    self.built = True

  # ---- scales and translation --------------------------------------------

  def to_unit(self, images):
    """Data-scale images [0, num_values - 1] -> [-1, 1]; the channel count must match."""
    images = tf.convert_to_tensor(images, tf.float32)
    if images.shape.rank != 4 or images.shape[-1] != self.event_shape[-1]:
      raise ValueError(f"CycleGAN expects images [batch, height, width, {self.event_shape[-1]}], "
                       f"got shape {images.shape}")
    message = f"CycleGAN expects values in [0, {self.num_values - 1}] (the data's scale)"
    checks = [tf.debugging.assert_greater_equal(images, 0.0, message=message + ", got values < 0"),
              tf.debugging.assert_less_equal(images, float(self.num_values - 1),
                                             message=message + ", got larger values")]
    with tf.control_dependencies(checks):
      return images * (2.0 / (self.num_values - 1)) - 1.0

  def from_unit(self, images):
    return (tf.clip_by_value(images, -1.0, 1.0) + 1.0) * ((self.num_values - 1) / 2.0)

  def _generator(self, direction):
    if direction not in self.DIRECTIONS:
      raise ValueError(f"direction must be a2b or b2a, got {direction!r}")
    return self.generator_a2b if direction == "a2b" else self.generator_b2a

  def translate(self, images, direction="a2b", tile_size=None, overlap=32):
    """Images of any height and width, on the data's scale -> translated, same shape (continuous).

    Sides are reflect-padded to a multiple of 2^num_downsamplings and cropped back.
    With tile_size, the image is translated in overlapping tiles blended
    linearly across their overlap (`tfgen.utils.tiling`), for images too large
    to translate at once. Instance norm then uses each tile's statistics, so
    use tiles of hundreds of pixels.

    Args:
      images: [batch, H, W, C] in [0, num_values - 1].
      direction: "a2b" (G) or "b2a" (F).
      tile_size: side of the tiles (a multiple of 2^num_downsamplings), or None.
      overlap: pixels shared by neighbouring tiles.
    """
    generator = self._generator(direction)
    unit = self.to_unit(images)
    multiple = 2 ** self.num_downsamplings

    def run(batch):
      # Reflect paddings need sides >= 4 at full size (7x7) and >= 2 at the bottleneck.
      return tiling.padded_apply(lambda padded: generator(padded, training=False), batch, multiple,
                                 minimum=max(4, 2 * multiple))

    if tile_size:
      return self.from_unit(tiling.tiled_apply(run, unit, int(tile_size), int(overlap)))
    return self.from_unit(run(unit))

  def translate_a2b(self, images):
    return self.translate(images, "a2b")

  def translate_b2a(self, images):
    return self.translate(images, "b2a")

  def call(self, inputs, training=None):
    """G(a) for images a (or for the a of a pair (a, b)): [batch, H, W, C] on the data's scale."""
    if isinstance(inputs, (tuple, list)):
      inputs = inputs[0]
    return self.from_unit(self.generator_a2b(self.to_unit(inputs), training=training))

  def served_functions(self):
    return ("translate_a2b", "translate_b2a")

  # ---- training (keras-io shape) -------------------------------------------

  def compile(self, d_optimizer=None, g_optimizer=None, optimizer=None, **kwargs):
    """Sets the optimizers of both discriminators and of both generators (or copies of one)."""
    d_optimizer, g_optimizer = optimizer_pair(d_optimizer, g_optimizer, optimizer, "CycleGAN")
    super().compile(optimizer=g_optimizer, **kwargs)
    self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
    self.d_optimizer.build(self._discriminator_variables())
    self.g_optimizer.build(self._generator_variables())

  def get_compile_config(self):
    return None  # Optimizers are set by `compile`.

  def _generator_variables(self):
    return self.generator_a2b.trainable_variables + self.generator_b2a.trainable_variables

  def _discriminator_variables(self):
    return self.discriminator_a.trainable_variables + self.discriminator_b.trainable_variables

  @property
  def metrics(self):
    return list(self.trackers.values())

  def _pair(self, data):
    if not isinstance(data, (tuple, list)) or len(data) != 2:
      raise ValueError("CycleGAN trains on pairs (a, b) of unpaired images from its two domains")
    for images in data:
      if tuple(images.shape[1:]) != self.event_shape:
        raise ValueError(f"CycleGAN trains on crops of shape {self.event_shape}, got "
                         f"{tuple(images.shape[1:])}")
    return self.to_unit(data[0]), self.to_unit(data[1])

  def _generator_losses(self, real_a, real_b, training):
    """(L_G, fake_a, fake_b, L_cyc, L_id)."""
    def a2b(images):
      return self.generator_a2b(images, training=training)

    def b2a(images):
      return self.generator_b2a(images, training=training)

    fake_b, fake_a = a2b(real_a), b2a(real_b)
    # D in inference mode: G's step must not move D (spectral norm updates in training mode).
    adversarial = (
        gan_losses.generator_loss("least_squares", self.discriminator_b(fake_b, training=False))
        + gan_losses.generator_loss("least_squares", self.discriminator_a(fake_a, training=False)))
    cycle = (tf.reduce_mean(tf.abs(b2a(fake_b) - real_a))
             + tf.reduce_mean(tf.abs(a2b(fake_a) - real_b)))
    identity = tf.constant(0.0)
    if self.identity_weight:
      identity = gan_losses.identity_loss(real_a, real_b, a2b, b2a)
    total = (adversarial + self.cycle_weight * cycle
             + self.cycle_weight * self.identity_weight * identity)
    return total, fake_a, fake_b, cycle, identity

  def _discriminator_losses(self, real_a, real_b, fake_a, fake_b, training):
    d_a = 0.5 * gan_losses.discriminator_loss(
        "least_squares", self.discriminator_a(real_a, training=training),
        self.discriminator_a(fake_a, training=training))
    d_b = 0.5 * gan_losses.discriminator_loss(
        "least_squares", self.discriminator_b(real_b, training=training),
        self.discriminator_b(fake_b, training=training))
    return d_a, d_b

  def _update_metrics(self, values, size):
    for name, value in values.items():
      self.trackers[name].update_state(value, sample_weight=size)
    return {name: tracker.result() for name, tracker in self.trackers.items()}

  def train_step(self, data):
    real_a, real_b = self._pair(data)
    with tf.GradientTape() as tape:
      g_loss, fake_a, fake_b, cycle, identity = self._generator_losses(real_a, real_b, True)
      scaled = scale_for_update(g_loss, self.g_optimizer)
    variables = self._generator_variables()
    self.g_optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
    fake_a = self.history_a(tf.stop_gradient(fake_a))
    fake_b = self.history_b(tf.stop_gradient(fake_b))
    with tf.GradientTape() as tape:
      d_a, d_b = self._discriminator_losses(real_a, real_b, fake_a, fake_b, True)
      scaled = scale_for_update(d_a + d_b, self.d_optimizer)
    variables = self._discriminator_variables()
    self.d_optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
    return self._update_metrics(
        {"g_loss": g_loss, "cycle_loss": cycle, "identity_loss": identity, "d_a_loss": d_a,
         "d_b_loss": d_b}, tf.cast(tf.shape(real_a)[0], tf.float32))

  def test_step(self, data):
    real_a, real_b = self._pair(data)
    g_loss, fake_a, fake_b, cycle, identity = self._generator_losses(real_a, real_b, False)
    d_a, d_b = self._discriminator_losses(real_a, real_b, fake_a, fake_b, False)
    return self._update_metrics(
        {"g_loss": g_loss, "cycle_loss": cycle, "identity_loss": identity, "d_a_loss": d_a,
         "d_b_loss": d_b}, tf.cast(tf.shape(real_a)[0], tf.float32))

  # ---- config ---------------------------------------------------------------

  def get_config(self):
    config = super().get_config()
    config.update(event_shape=list(self.event_shape), num_values=self.num_values,
                  num_filters=self.num_filters, num_residual_blocks=self.num_residual_blocks,
                  num_downsamplings=self.num_downsamplings,
                  num_discriminator_layers=self.num_discriminator_layers,
                  cycle_weight=self.cycle_weight, identity_weight=self.identity_weight,
                  history_size=self.history_size, upsampling=self.upsampling,
                  padding=self.padding, spectral_norm=self.spectral_norm, seed=self.seed)
    return config
