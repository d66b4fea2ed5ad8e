"""The generative adversarial network (Goodfellow et al. 2014), trained with `fit`."""

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen.heads import sampling
from tfgen.models.adversarial import gan_losses
from tfgen.models.adversarial.optimizer_pair import optimizer_pair
from tfgen.models.adversarial import networks
from tfgen.models.generative_model import GenerativeModel
from tfgen.models.losses import scale_for_update

tfd = tfp.distributions


@keras.saving.register_keras_serializable(package="tfgen")
class GAN(GenerativeModel):
  """A generator G and a discriminator D playing min_G max_D V(D, G), optionally class-conditional.

    z ~ p(z) = N(0, I)                     (a `tfd` distribution: `prior`)
    x = G(z, c)                            images in [-1, 1], shown on the data's scale
    D(x, c) = Bernoulli(logits = d(x, c))  the probability that x is real
    V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))]

  Each training step takes `num_discriminator_steps` Adam steps on L_D, then
  one on L_G (`gan_losses` has each loss and its formula). With
  `num_conditions` > 0 it is a conditional GAN (Mirza & Osindero 2014): the
  one-hot label goes into both G (next to z) and D (next to x).

  A GAN has no likelihood: `log_prob` is refused, and `tfgen.evaluate` scores
  its samples instead (`tfgen.training.sample_quality`).

  Args:
    event_shape: (H, W, C) of one image.
    num_values: levels of the data (2 binary, 17 digits, 256 8-bit); x in
      [0, num_values - 1] is mapped to [-1, 1] for D, and G's output back.
    latent_size: size of z.
    network: "mlp" or "dcgan" (`networks`).
    loss: a `gan_losses.LOSSES` name: "non_saturating", "minimax", "hinge",
      "wgan_gp" or "least_squares".
    num_discriminator_steps: D steps per G step (each on fresh z).
    gradient_penalty_weight: lambda of WGAN-GP's penalty (loss="wgan_gp" only).
    num_conditions: classes to condition on; 0 = unconditional.
    hidden_units: the MLP networks' hidden sizes (G's; D mirrors them).
    num_filters: the DCGAN networks' filters at full resolution.
    upsampling: DCGAN generator's "transposed" or "resize" convolutions.
    discriminator_normalization: DCGAN discriminator's "batch", "layer" or "none".
    spectral_norm: spectral normalization on every layer of D.
    seed: seeds the noise of training steps.

  Example:
    gan = GAN((8, 8, 1), num_values=17, network="dcgan")
    gan.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))  # one copy each for D and G
    gan.fit(images, epochs=50)
    gan.sample(16, seed=0)                                  # [16, 8, 8, 1] on the data's scale

  References: Goodfellow et al., "Generative Adversarial Nets", 2014; Radford
  et al., "Unsupervised Representation Learning with Deep Convolutional GANs",
  2016; Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014;
  keras-io's DCGAN and WGAN-GP examples.
  """

  likelihood_kind = None
  checkpoint_monitor = None  # D's and G's losses do not rank generators: keep the latest.
  num_epoch_samples = 64
  num_optimizers = 2

  def __init__(self, event_shape, num_values, latent_size=64, network="mlp",
               loss="non_saturating", num_discriminator_steps=1, gradient_penalty_weight=10.0,
               num_conditions=0, hidden_units=(256, 256), num_filters=64, upsampling="transposed",
               discriminator_normalization="batch", spectral_norm=False, seed=0, **kwargs):
    super().__init__(**kwargs)
    self.event_shape = tuple(int(size) for size in event_shape)
    if len(self.event_shape) != 3:
      raise ValueError(f"a GAN makes images [height, width, channels], got event_shape="
                       f"{self.event_shape}")
    if num_values is None or int(num_values) < 2:
      raise ValueError(f"num_values must be the data's number of levels (>= 2), got {num_values}")
    for field, value in (("latent_size", latent_size), ("num_discriminator_steps",
                                                         num_discriminator_steps),
                         ("num_filters", num_filters)):
      if int(value) < 1:
        raise ValueError(f"{field} must be >= 1, got {value}")
    if int(num_conditions) < 0:
      raise ValueError(f"num_conditions must be >= 0, got {num_conditions}")
    if float(gradient_penalty_weight) < 0:
      raise ValueError(f"gradient_penalty_weight must be >= 0, got {gradient_penalty_weight}")
    self.num_values = int(num_values)
    self.latent_size = int(latent_size)
    self.network = networks.check_choice("network", network, networks.NETWORKS)
    self.loss = gan_losses.check_loss(loss)
    self.num_discriminator_steps = int(num_discriminator_steps)
    self.gradient_penalty_weight = float(gradient_penalty_weight)
    self.num_conditions = int(num_conditions)
    self.hidden_units = tuple(int(units) for units in hidden_units)
    self.num_filters = int(num_filters)
    self.upsampling = upsampling
    self.discriminator_normalization = discriminator_normalization
    self.spectral_norm = bool(spectral_norm)
    self.seed = int(seed)
    if self.loss == "wgan_gp" and discriminator_normalization == "batch" and network == "dcgan":
      raise ValueError("WGAN-GP penalizes D's gradient per example, which batch norm mixes "
                       "across the batch: use discriminator_normalization='layer' or 'none'")
    self.generator = networks.generator(
        network, self.latent_size, self.event_shape, self.num_conditions, self.hidden_units,
        self.num_filters, upsampling)
    self.discriminator = networks.discriminator(
        network, self.event_shape, self.num_conditions, tuple(reversed(self.hidden_units)),
        self.num_filters, discriminator_normalization, self.spectral_norm)
    # Training noise is stateless, keyed by (seed, draws so far): a saved weight (a
    # SeedGenerator's state is not), so a resumed run draws what an unbroken one would.
    self.num_draws = self.add_weight(shape=(), initializer="zeros", dtype="int32",
                                     trainable=False, name="num_draws")
    self.trackers = {name: keras.metrics.Mean(name=name)
                     for name in ("d_loss", "g_loss", "real_accuracy", "fake_accuracy")}
    self.built = True  # Both networks are built functional models.

  # ---- the two networks ---------------------------------------------------

  def prior(self, batch_size=1):
    """p(z) = N(0, I): a `tfd` distribution, batch [batch_size], event [latent_size]."""
    return tfd.Independent(tfd.Normal(tf.zeros([batch_size, self.latent_size]), 1.0), 1)

  def to_unit(self, x):
    """Data-scale images [0, num_values - 1] -> [-1, 1]; values out of range raise."""
    x = tf.convert_to_tensor(x, tf.float32)
    given = tuple(x.shape[1:])
    if given != self.event_shape:
      raise ValueError(f"{type(self).__name__} expects images of shape {self.event_shape}, "
                       f"got shape {given}")
    message = f"{type(self).__name__} expects values in [0, {self.num_values - 1}]"
    checks = [tf.debugging.assert_greater_equal(x, 0.0, message=message + ", got values < 0"),
              tf.debugging.assert_less_equal(x, float(self.num_values - 1),
                                             message=message + " , got larger values")]
    with tf.control_dependencies(checks):
      return x * (2.0 / (self.num_values - 1)) - 1.0

  def from_unit(self, images):
    """[-1, 1] -> the data's scale [0, num_values - 1] (continuous)."""
    return (tf.clip_by_value(images, -1.0, 1.0) + 1.0) * ((self.num_values - 1) / 2.0)

  def _network_inputs(self, first, condition):
    return first if condition is None else [first, condition]

  def generate(self, z, condition=None, training=False):
    """G(z, c) on the data's scale, continuous: [batch, H, W, C].

    Args:
      z: [batch, latent_size].
      condition: int labels [batch] (or one-hot) for a conditional GAN, else None.
    """
    z = tf.convert_to_tensor(z, tf.float32)
    if z.shape.rank != 2 or z.shape[-1] != self.latent_size:
      raise ValueError(f"z must have shape [batch, {self.latent_size}], got {z.shape}")
    condition = self.encode_condition(condition)
    return self.from_unit(self.generator(self._network_inputs(z, condition), training=training))

  def discriminate(self, x, condition=None, training=False):
    """D's logits for data-scale images x (and labels): [batch]."""
    condition = self.encode_condition(condition)
    return self._logits(self.to_unit(x), condition, training)

  def _logits(self, unit_images, condition, training):
    logits = self.discriminator(self._network_inputs(unit_images, condition), training=training)
    return tf.squeeze(logits, axis=-1)

  def call(self, inputs, training=None):
    """D's logits for the inputs x (or (x, labels)): [batch]."""
    x, condition = self.split_inputs(inputs)
    return self._logits(self.to_unit(x), condition, training)

  def served_functions(self):
    return ("sample", "generate")

  # ---- training (keras-io shape) ------------------------------------------

  def compile(self, d_optimizer=None, g_optimizer=None, optimizer=None, **kwargs):
    """Sets D's and G's optimizers: both given, or copies of one `optimizer`.

    Other keywords (jit_compile, ...) go to `keras.Model.compile`.
    """
    d_optimizer, g_optimizer = optimizer_pair(d_optimizer, g_optimizer, optimizer, "GAN")
    super().compile(optimizer=g_optimizer, **kwargs)
    self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
    # Built now on their own networks, so Keras does not build G's on every weight.
    self.d_optimizer.build(self.discriminator.trainable_variables)
    self.g_optimizer.build(self.generator.trainable_variables)

  def compile_for_training(self, make_optimizer, total_steps, **kwargs):
    """D's schedule spans num_discriminator_steps optimizer steps per training step."""
    self.compile(d_optimizer=make_optimizer(total_steps * self.num_discriminator_steps),
                 g_optimizer=make_optimizer(total_steps), **kwargs)

  def get_compile_config(self):
    return None  # Optimizers are set by `compile` (tfgen.train builds them from the config).

  @property
  def metrics(self):
    return list(self.trackers.values())

  def _next_seed(self):
    seed = tf.random.experimental.stateless_fold_in(tf.constant([self.seed, 0], tf.int32),
                                                    self.num_draws.value)
    self.num_draws.assign(self.num_draws.value + 1)
    return seed

  def _draw_seed(self, training):
    """The next training seed; validation draws from a fixed one and leaves the count alone,
    so the same noise scores every epoch and a resumed run's training draws stay in step."""
    return self._next_seed() if training else tf.constant([self.seed, 1], tf.int32)

  def _noise(self, shape, training=True):
    return tf.random.stateless_normal(shape, self._draw_seed(training))

  def _discriminator_loss(self, real, condition, training):
    """(L_D with any penalty, real logits, fake logits) for one batch of real [-1, 1] images."""
    batch = tf.shape(real)[0]
    fake = self.generator(
        self._network_inputs(self._noise([batch, self.latent_size], training), condition),
        training=training)
    real_logits = self._logits(real, condition, training)
    fake_logits = self._logits(fake, condition, training)
    loss = gan_losses.discriminator_loss(self.loss, real_logits, fake_logits)
    if self.loss == "wgan_gp" and self.gradient_penalty_weight:
      mixing = tf.random.stateless_uniform([batch], self._draw_seed(training))
      penalty = gan_losses.gradient_penalty(
          lambda images: self._logits(images, condition, training), real, fake, mixing)
      loss += self.gradient_penalty_weight * penalty
    return loss, real_logits, fake_logits

  def _generator_loss(self, batch, condition, training):
    fake = self.generator(
        self._network_inputs(self._noise([batch, self.latent_size], training), condition),
        training=training)
    return gan_losses.generator_loss(self.loss, self._logits(fake, condition, training))

  def _update_metrics(self, d_loss, g_loss, real_logits, fake_logits, size):
    values = {"d_loss": d_loss, "g_loss": g_loss,
              "real_accuracy": gan_losses.real_accuracy(self.loss, real_logits),
              "fake_accuracy": gan_losses.fake_accuracy(self.loss, fake_logits)}
    for name, value in values.items():
      self.trackers[name].update_state(value, sample_weight=size)
    return {name: tracker.result() for name, tracker in self.trackers.items()}

  def _real_batch(self, data):
    """A fit batch -> (real images in [-1, 1], one-hot condition or None, batch size)."""
    inputs, _, _ = keras.utils.unpack_x_y_sample_weight(data)
    x, condition = self.split_inputs(inputs)
    real = self.to_unit(x)
    return real, self.encode_condition(condition), tf.shape(real)[0]

  def train_step(self, data):
    real, condition, batch = self._real_batch(data)
    for _ in range(self.num_discriminator_steps):
      with tf.GradientTape() as tape:
        d_loss, real_logits, fake_logits = self._discriminator_loss(real, condition, True)
        scaled = scale_for_update(d_loss, self.d_optimizer)
      variables = self.discriminator.trainable_variables
      self.d_optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
    with tf.GradientTape() as tape:
      g_loss = self._generator_loss(batch, condition, True)
      scaled = scale_for_update(g_loss, self.g_optimizer)
    variables = self.generator.trainable_variables
    self.g_optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
    return self._update_metrics(d_loss, g_loss, real_logits, fake_logits,
                                tf.cast(batch, tf.float32))

  def test_step(self, data):
    real, condition, batch = self._real_batch(data)
    d_loss, real_logits, fake_logits = self._discriminator_loss(real, condition, False)
    g_loss = self._generator_loss(batch, condition, False)
    return self._update_metrics(d_loss, g_loss, real_logits, fake_logits,
                                tf.cast(batch, tf.float32))

  # ---- generation ---------------------------------------------------------

  def sample(self, num_samples, *, condition=None, temperature=1.0, seed=None, quantize=True):
    """Draws z ~ p(z) (scale times `temperature`) and returns G(z) on the data's scale.

    Args:
      num_samples, condition, temperature, seed: as for `GenerativeModel.sample`.
      quantize: round to the data's levels (its support), as real examples
        are; False returns G's continuous output.
    Returns:
      float32 [num_samples, H, W, C] in [0, num_values - 1].
    """
    return super().sample(num_samples, condition=condition, temperature=temperature, seed=seed,
                          quantize=quantize)

  def noise_shapes(self):
    """{"z": [latent_size]}, standard normal: sample_from_noise(z) is round(generate(z))."""
    return {"z": (self.latent_size,)}

  def _sample(self, num_samples, condition, temperature, seed, quantize=True, noise=None):
    z = temperature * (sampling.normal([num_samples, self.latent_size], seed) if noise is None
                       else noise["z"])
    images = self.generate(z, condition)
    return tf.round(images) if quantize else images

  # ---- config -------------------------------------------------------------

  def get_config(self):
    config = super().get_config()
    config.update(event_shape=list(self.event_shape), num_values=self.num_values,
                  latent_size=self.latent_size, network=self.network, loss=self.loss,
                  num_discriminator_steps=self.num_discriminator_steps,
                  gradient_penalty_weight=self.gradient_penalty_weight,
                  num_conditions=self.num_conditions, hidden_units=list(self.hidden_units),
                  num_filters=self.num_filters, upsampling=self.upsampling,
                  discriminator_normalization=self.discriminator_normalization,
                  spectral_norm=self.spectral_norm, seed=self.seed)
    return config
