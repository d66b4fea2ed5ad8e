"""The variational autoencoder (Kingma & Welling), trained on the ELBO or the IWAE bound."""

import math

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen import heads as heads_lib
from tfgen.heads import sampling
from tfgen.models.generative_model import GenerativeModel
from tfgen.models.latent import networks
from tfgen.models.losses import scale_for_update
from tfgen.utils import checks

tfd = tfp.distributions


@keras.saving.register_keras_serializable(package="tfgen")
class VAE(GenerativeModel):
  """A latent-variable model p(x) = integral p(x | z) p(z) dz, fit by amortised inference.

    q(z | x) = N(mu(x), diag sigma(x)^2),   p(z) = N(0, I),   p(x | z) = head(decoder(z))
    z = mu + sigma * eps,  eps ~ N(0, I)                              (reparameterization)
    ELBO(x) = E_q[log p(x | z)] - beta KL(q(z | x) || p(z))          (KL analytic)
    IWAE_k(x) = E[log (1/k) sum_i p(x, z_i) / q(z_i | x)],  z_i ~ q  (k = 1: the ELBO)

  Training minimises -ELBO (num_importance_samples = 1) or -IWAE_k (k > 1),
  in nats per example; `tfgen.models.latent.importance_weighted.log_likelihood`
  estimates log p(x) with up to thousands of samples.

  Args:
    event_shape: shape of one example, e.g. (28, 28, 1).
    head: the decoder's `tfgen.heads.Head` (Bernoulli, Categorical,
      DiscretizedLogisticMixture, Normal, ...).
    latent_size: dimension of z (>= 1).
    network: "mlp" or "conv" (4 conv layers down, 4 transposed conv layers up).
    hidden_units: hidden layer sizes of the encoder (the decoder mirrors them).
    activation: hidden activation.
    beta: weight of the KL term (beta-VAE); 1 gives the ELBO. Only with k = 1.
    num_importance_samples: k of the training objective (1 = ELBO).
    seed: seeds the noise of training steps.
    dropout: dropout rate on the hidden units of both networks in training
      steps (0 = none); bounds, sampling and evaluation run without it.
    kl_warmup_steps: training steps over which the KL weight of the training
      loss ramps linearly from 0 to beta (0 = none; Sonderby et al. 2016).
      With k > 1 it weighs log p(z_i) - log q(z_i | x) inside each importance
      weight instead. Validation and evaluation use the plain bound.

  Example:
    vae = VAE((28, 28, 1), tfgen.heads.Bernoulli(), latent_size=50)
    vae.compile(optimizer="adam"); vae.fit(images, epochs=10)
    vae.elbo(images)[0]                                   # [batch] nats
    importance_weighted.log_likelihood(vae, images, num_samples=5000)

  References: Kingma & Welling, "Auto-Encoding Variational Bayes", 2014;
  Burda et al., "Importance Weighted Autoencoders", 2016; keras-io's VAE example.
  """

  def __init__(self, event_shape, head, latent_size=50, network="mlp", hidden_units=(200, 200),
               activation="tanh", beta=1.0, num_importance_samples=1, seed=0, dropout=0.0,
               kl_warmup_steps=0, **kwargs):
    super().__init__(**kwargs)
    head = heads_lib.as_head(head)
    if int(latent_size) < 1:
      raise ValueError(f"latent_size must be >= 1, got {latent_size}")
    if float(beta) < 0:
      raise ValueError(f"beta must be >= 0, got {beta}")
    if int(num_importance_samples) < 1:
      raise ValueError(f"num_importance_samples must be >= 1, got {num_importance_samples}")
    if int(num_importance_samples) > 1 and float(beta) != 1.0:
      raise ValueError("beta weights the KL of the ELBO; the IWAE bound (num_importance_samples > 1) "
                       f"has no KL term to weight: use beta=1, got beta={beta}")
    if int(kl_warmup_steps) < 0:
      raise ValueError(f"kl_warmup_steps must be >= 0, got {kl_warmup_steps}")
    self.event_shape = tuple(int(size) for size in event_shape)
    networks.check_network(network, self.event_shape)
    self.head = head
    self.params_shape = head.params_shape(self.event_shape)
    self.latent_size = int(latent_size)
    self.network = network
    self.hidden_units = tuple(int(units) for units in hidden_units)
    if not self.hidden_units or min(self.hidden_units) < 1:
      raise ValueError(f"hidden_units must be one or more sizes >= 1, got {hidden_units}")
    self.activation = activation
    self.beta = float(beta)
    self.num_importance_samples = int(num_importance_samples)
    self.seed = int(seed)
    self.dropout = checks.rate("dropout", dropout)
    self.kl_warmup_steps = int(kl_warmup_steps)
    self.encoder = networks.encoder(network, self._encoder_input_shape(), 2 * self.latent_size,
                                    self.hidden_units, activation, name="encoder",
                                    dropout=self.dropout)
    self.decoder = networks.decoder(network, self.latent_size, self.params_shape,
                                    self.hidden_units, activation, name="decoder",
                                    dropout=self.dropout)
    self.seed_generator = keras.random.SeedGenerator(self.seed)
    self.loss_tracker = keras.metrics.Mean(name="loss")
    self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
    self.kl_tracker = keras.metrics.Mean(name="kl")

  # ---- conditioning hooks (the conditional VAE overrides them) -----------

  def _encoder_input_shape(self):
    return self.event_shape

  def _encoder_inputs(self, features, condition):
    del condition
    return features

  def _decoder_inputs(self, z, condition):
    del condition
    return z

  def prior(self, condition=None, batch_size=1):
    """p(z): N(0, I) with batch shape [batch_size]."""
    del condition
    return tfd.Independent(tfd.Normal(tf.zeros([batch_size, self.latent_size]), 1.0), 1)

  # ---- model pieces ------------------------------------------------------

  def build(self, input_shape=None):
    if not self.encoder.built:
      self.encoder.build((None,) + self._encoder_input_shape())
    if not self.decoder.built:
      self.decoder.build((None, self._decoder_input_size()))
    self.built = True

  def _decoder_input_size(self):
    return self.latent_size

  def check_event_shape(self, x):
    checks.numeric(type(self).__name__, x)
    given = tuple(x.shape[1:])
    if given != self.event_shape:
      raise ValueError(f"{type(self).__name__} expects examples of shape {self.event_shape}, "
                       f"got shape {given}")

  def encode(self, x, condition=None, training=False):
    """q(z | x): a `tfd` distribution with batch shape [batch] and event [latent_size].

    training=True applies dropout (training steps only)."""
    x = tf.convert_to_tensor(x, tf.float32)
    self.check_event_shape(x)
    condition = self.encode_condition(condition)
    features = self._encoder_inputs(self.head.normalize(self.head.check_support(x)), condition)
    outputs = tf.cast(self.encoder(features, training=training), tf.float32)  # Mixed precision.
    mean, raw_scale = tf.split(outputs, 2, axis=-1)
    return tfd.Independent(tfd.Normal(mean, tf.nn.softplus(raw_scale) + 1e-4), 1)

  def decode(self, z, condition=None, training=False):
    """Head params [batch, *params_shape] of p(x | z); training=True applies dropout."""
    condition = self.encode_condition(condition)
    return self.decoder(self._decoder_inputs(tf.convert_to_tensor(z, tf.float32), condition),
                        training=training)

  def call(self, inputs, training=None):
    """Params of p(x | z = E_q[z]): the model's reconstruction of x."""
    del training
    x, condition = self.split_inputs(inputs)
    return self.decode(self.encode(x, condition).mean(), condition)

  def _noise(self, shape, seed):
    if seed is None:
      return keras.random.normal(shape, seed=self.seed_generator)
    return sampling.normal(shape, seed)

  # ---- bounds ------------------------------------------------------------

  @property
  def likelihood_kind(self):
    """"elbo" for a model trained on the ELBO (k = 1), "iwae_k" on the IWAE bound (k > 1)."""
    return "elbo" if self.num_importance_samples == 1 else "iwae_k"

  def log_prob(self, x, condition=None, seed=None):
    """The training bound at beta = 1: the ELBO (k = 1) or IWAE_k (k > 1), [batch] nats.

    Both bound log p(x) from below; `importance_weighted.log_likelihood`
    estimates log p(x) itself with thousands of samples.
    """
    if self.num_importance_samples > 1:
      return self.iwae_bound(x, self.num_importance_samples, condition, seed)
    reconstruction, kl = self.elbo(x, condition, seed=seed)[1:]
    return reconstruction - kl

  def served_functions(self):
    return ("sample", "log_prob", "encode", "decode", "reconstruct", "elbo")

  def elbo(self, x, condition=None, analytic_kl=True, seed=None, training=False):
    """(ELBO, E_q log p(x | z), KL(q || p)), each [batch] in nats, with one z per example.

    With analytic_kl=False the KL is the one-sample estimate log q(z|x) - log p(z),
    which makes the ELBO equal `iwae_bound(x, 1)` for the same seed.
    training=True draws dropout masks (the training objective).
    """
    condition = self.encode_condition(condition)
    posterior = self.encode(x, condition, training)
    z = posterior.mean() + posterior.stddev() * self._noise(tf.shape(posterior.mean()), seed)
    reconstruction = self.head.log_prob(x, self.decode(z, condition, training))
    prior = self.prior(condition, tf.shape(z)[0])
    if analytic_kl:
      kl = tfd.kl_divergence(posterior, prior)
    else:
      kl = posterior.log_prob(z) - prior.log_prob(z)
    return reconstruction - self.beta * kl, reconstruction, kl

  def log_weights(self, x, num_samples, condition=None, seed=None, training=False,
                  posterior=None, prior_weight=1.0):
    """log p(x, z_i) - log q(z_i | x) for z_1..z_k ~ q(z | x): [num_samples, batch].

    With prior_weight = w < 1 (KL warm-up of the IWAE bound), the weights are
    log p(x | z_i) + w (log p(z_i) - log q(z_i | x)).

    `posterior` replaces the encoder's q(z | x) as the proposal: a diagonal
    Normal (`tfd`, batch [batch], event [latent_size]; only its mean and stddev
    are used), e.g. one refined per example by `importance_weighted.refine_posterior`.
    """
    x = tf.convert_to_tensor(x, tf.float32)
    condition = self.encode_condition(condition)
    if posterior is None:
      posterior = self.encode(x, condition, training)
    else:
      self.check_event_shape(x)
    mean, scale = posterior.mean(), posterior.stddev()
    batch = tf.shape(mean)[0]
    z = mean + scale * self._noise(tf.stack([num_samples, batch, self.latent_size]), seed)
    flat_z = tf.reshape(z, [-1, self.latent_size])
    flat_condition = None if condition is None else tf.tile(condition, [num_samples, 1])
    tiled_x = tf.tile(x, tf.concat([[num_samples], tf.ones([len(self.event_shape)], tf.int32)], 0))
    log_likelihood = self.head.log_prob(tiled_x, self.decode(flat_z, flat_condition, training))
    log_likelihood = tf.reshape(log_likelihood, [num_samples, batch])
    return log_likelihood + prior_weight * (self.prior(condition, batch).log_prob(z)
                                            - posterior.log_prob(z))

  def iwae_bound(self, x, num_samples, condition=None, seed=None, training=False,
                 prior_weight=1.0):
    """IWAE_k = log (1/k) sum_i w_i for one draw of k samples: [batch] nats."""
    log_weights = self.log_weights(x, num_samples, condition, seed, training,
                                   prior_weight=prior_weight)
    return tf.reduce_logsumexp(log_weights, axis=0) - math.log(num_samples)

  # ---- training (keras-io shape) -----------------------------------------

  @property
  def metrics(self):
    return [self.loss_tracker, self.reconstruction_tracker, self.kl_tracker]

  def _objective(self, inputs, training):
    x, condition = self.split_inputs(inputs)
    x = tf.convert_to_tensor(x, tf.float32)
    # Validation draws its noise from a fixed seed: the same draws every epoch, and none
    # taken from the training generator, whose state a resumed run restores.
    seed = None if training else tf.constant([self.seed, 1], tf.int32)
    ramp = 1.0
    if training and self.kl_warmup_steps:
      ramp = tf.minimum(1.0, tf.cast(self.optimizer.iterations, tf.float32)
                        / self.kl_warmup_steps)
    if self.num_importance_samples > 1:
      bound = self.iwae_bound(x, self.num_importance_samples, condition, seed=seed,
                              training=training, prior_weight=ramp)
      # Report the ELBO's parts for the same batch too.
      _, reconstruction, kl = self.elbo(x, condition, seed=seed, training=training)
    else:
      _, reconstruction, kl = self.elbo(x, condition, seed=seed, training=training)
      bound = reconstruction - self.beta * ramp * kl  # The ELBO once the ramp reaches 1.
    size = tf.cast(tf.shape(x)[0], tf.float32)
    return -tf.reduce_mean(bound), -tf.reduce_mean(reconstruction), tf.reduce_mean(kl), size

  def _update_metrics(self, loss, reconstruction, kl, size):
    # Weighted by batch size, so a short last batch counts for what it holds.
    self.loss_tracker.update_state(loss, sample_weight=size)
    self.reconstruction_tracker.update_state(reconstruction, sample_weight=size)
    self.kl_tracker.update_state(kl, sample_weight=size)
    return {metric.name: metric.result() for metric in self.metrics}

  def train_step(self, data):
    inputs, _, _ = keras.utils.unpack_x_y_sample_weight(data)
    with tf.GradientTape() as tape:
      loss, reconstruction, kl, size = self._objective(inputs, training=True)
      scaled = scale_for_update(loss, self.optimizer)
    gradients = tape.gradient(scaled, self.trainable_weights)
    self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))
    return self._update_metrics(loss, reconstruction, kl, size)

  def test_step(self, data):
    inputs, _, _ = keras.utils.unpack_x_y_sample_weight(data)
    return self._update_metrics(*self._objective(inputs, training=False))

  # ---- generation --------------------------------------------------------

  def sample(self, num_samples, *, condition=None, temperature=1.0, seed=None, mean=False):
    """Draws z ~ p(z) (scale times `temperature`), then x ~ p(x | z), or its mean.

    Args:
      num_samples, condition, temperature, seed: as for `GenerativeModel.sample`.
      mean: return E[x | z] (the decoder's picture of z) instead of a draw.
    Returns:
      float32 [num_samples, *event_shape].
    """
    return super().sample(num_samples, condition=condition, temperature=temperature, seed=seed,
                          mean=mean)

  def noise_shapes(self):
    """{"z": [latent_size] standard normal (scaled by the prior), "uniform": the head's noise}."""
    params_shape = self.head.params_shape(self.event_shape)
    return {"z": (self.latent_size,),
            "uniform": params_shape[:-1] + (self.head.noise_size(params_shape[-1]),)}

  def _sample(self, num_samples, condition, temperature, seed, mean=False, noise=None):
    if not self.built:
      self.build()
    seeds = sampling.split(seed, 2)
    prior = self.prior(condition, num_samples)
    standard = (sampling.normal([num_samples, self.latent_size], seeds[0]) if noise is None
                else noise["z"])
    params = self.decode(prior.mean() + temperature * prior.stddev() * standard, condition)
    if mean:
      return self.head.mean(params)
    if noise is not None:
      return self.head.sample_from_noise(params, noise["uniform"])
    return self.head.sample(params, seeds[1])

  def reconstruct(self, x, condition=None):
    """E[x | z = E_q[z | x]]: [batch, *event_shape]."""
    condition = self.encode_condition(condition)
    return self.head.mean(self.decode(self.encode(x, condition).mean(), condition))

  # ---- config ------------------------------------------------------------

  def get_config(self):
    config = super().get_config()
    config.update(event_shape=list(self.event_shape),
                  head=keras.saving.serialize_keras_object(self.head),
                  latent_size=self.latent_size, network=self.network,
                  hidden_units=list(self.hidden_units), activation=self.activation,
                  beta=self.beta, num_importance_samples=self.num_importance_samples,
                  seed=self.seed, dropout=self.dropout, kl_warmup_steps=self.kl_warmup_steps)
    return config
