"""The conditional VAE: a VAE of p(x | c) for class labels c, with a learned or fixed prior."""

import math

import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen.models.latent.vae import VAE

tfd = tfp.distributions

PRIORS = ("learned", "standard")


@keras.saving.register_keras_serializable(package="tfgen")
class ConditionalVAE(VAE):
  """A VAE whose encoder, decoder and prior all see the label c.

    log p(x | c) >= E_q(z|x,c)[log p(x | z, c)] - KL(q(z | x, c) || p(z | c))
    q(z | x, c) = N(mu(x, c), diag sigma(x, c)^2),  p(x | z, c) = head(decoder(z, c))
    p(z | c) = N(m_c, diag s_c^2)  (prior="learned", one mean and scale per class)
            or N(0, I)              (prior="standard")

  Inputs are (x, labels) or {"x": x, "condition": labels} with int labels in
  [0, num_conditions). The MLP encoder reads [flatten(x), onehot(c)], the conv
  encoder x with onehot(c) broadcast as extra channels; the decoder reads [z, onehot(c)].

  Args:
    event_shape, head, latent_size, network, hidden_units, activation, beta,
      num_importance_samples, seed: as for `VAE`.
    num_conditions: number of classes (>= 1).
    prior: "learned" (p(z | c), starting at N(0, I)) or "standard" (N(0, I)).

  Example:
    cvae = ConditionalVAE((28, 28, 1), tfgen.heads.Bernoulli(), num_conditions=10)
    cvae.fit(dataset_of_x_and_labels.map(lambda x, y: ((x, y),)), epochs=10)
    sevens = cvae.sample(8, condition=7, mean=True)

  References: Sohn et al., "Learning Structured Output Representation using
  Deep Conditional Generative Models", 2015.
  """

  def __init__(self, event_shape, head, num_conditions=10, prior="learned", **kwargs):
    if int(num_conditions) < 1:
      raise ValueError(f"num_conditions must be >= 1, got {num_conditions}")
    if prior not in PRIORS:
      raise ValueError(f"prior must be one of {', '.join(PRIORS)}, got {prior!r}")
    self.num_conditions = int(num_conditions)  # Read by the network shapes in VAE.__init__.
    self.prior_kind = prior
    super().__init__(event_shape, head, **kwargs)
    self.prior_network = (keras.layers.Dense(2 * self.latent_size, kernel_initializer="zeros",
                                             name="prior")
                          if prior == "learned" else None)

  def build(self, input_shape=None):
    super().build(input_shape)
    if self.prior_network is not None and not self.prior_network.built:
      self.prior_network.build((None, self.num_conditions))

  def _encoder_input_shape(self):
    if self.network == "conv":
      return self.event_shape[:-1] + (self.event_shape[-1] + self.num_conditions,)
    return (int(np.prod(self.event_shape)) + self.num_conditions,)

  def _decoder_input_size(self):
    return self.latent_size + self.num_conditions

  def _encoder_inputs(self, features, condition):
    if self.network == "conv":
      shape = tf.concat([tf.shape(features)[:-1], [self.num_conditions]], 0)
      planes = tf.broadcast_to(condition[:, tf.newaxis, tf.newaxis, :], shape)
      return tf.concat([features, planes], axis=-1)
    flat = tf.reshape(features, [-1, int(np.prod(self.event_shape))])
    return tf.concat([flat, condition], axis=-1)

  def _decoder_inputs(self, z, condition):
    return tf.concat([z, condition], axis=-1)

  def prior(self, condition=None, batch_size=1):
    """p(z | c): batch shape [batch], event [latent_size]."""
    condition = self.encode_condition(condition)
    if self.prior_network is None:
      return tfd.Independent(tfd.Normal(tf.zeros_like(condition[:, :1]) + tf.zeros(
          [self.latent_size]), 1.0), 1)
    mean, raw_scale = tf.split(self.prior_network(condition), 2, axis=-1)
    # softplus(0 + log(e - 1)) = 1: the learned prior starts at N(0, I).
    return tfd.Independent(tfd.Normal(mean, tf.nn.softplus(raw_scale + math.log(math.e - 1))), 1)

  def get_config(self):
    config = super().get_config()
    config.update(num_conditions=self.num_conditions, prior=self.prior_kind)
    return config
