"""Base class of tfgen's normalizing flows: exact log-likelihood by the change of variables."""

import math

import keras
import numpy as np
import tensorflow as tf

from tfgen.heads import head as head_lib
from tfgen.heads import sampling
from tfgen.models.flows import dequantization
from tfgen.models.generative_model import GenerativeModel
from tfgen.models.losses import scale_for_update
from tfgen.utils import checks

# Noise draws u per example when `evaluation_log_prob` scores discrete data.
DEQUANTIZATION_DRAWS = 10


class Flow(GenerativeModel):
  """An invertible map f from data to z ~ N(0, I):

    log p(x) = log N(f(x); 0, I) + log |det df/dx|

  Discrete data (num_values = K > 0) are first dequantized, y = (x + u) / K,
  and optionally logit-transformed; both Jacobians are counted, so `log_prob`
  is a one-sample lower bound on the discrete log P(x) (in nats, comparable
  with the other models' NLL and bits/dim). Subclasses implement
  `transform(w) -> (z [batch, D], log_det)` and `inverse_transform(z) -> w`.

  Args:
    event_shape: shape of one example.
    num_values: K for integer data 0..K-1; 0 for continuous data (used as is).
    logit_alpha: with discrete data, the logit transform's a (0 = none).
    seed: seeds the dequantization noise of training steps.
  """

  def __init__(self, event_shape, num_values=0, logit_alpha=0.05, seed=0, **kwargs):
    super().__init__(**kwargs)
    self.event_shape = tuple(int(size) for size in event_shape)
    if not self.event_shape or min(self.event_shape) < 1:
      raise ValueError(f"event_shape must be non-empty with positive sizes, got {event_shape}")
    if int(num_values) < 0 or int(num_values) == 1:
      raise ValueError(f"num_values must be 0 (continuous data) or >= 2, got {num_values}")
    if not 0.0 <= float(logit_alpha) < 0.5:
      raise ValueError(f"logit_alpha must be in [0, 0.5), got {logit_alpha}")
    self.num_values = int(num_values)
    self.logit_alpha = float(logit_alpha)
    self.seed = int(seed)
    self.num_dims = int(np.prod(self.event_shape))
    self.seed_generator = keras.random.SeedGenerator(self.seed)
    self.loss_tracker = keras.metrics.Mean(name="loss")
    self._compiled_log_prob = None

  def transform(self, w):
    raise NotImplementedError

  def inverse_transform(self, z):
    raise NotImplementedError

  # ---- data <-> the flow's input -----------------------------------------

  def check_inputs(self, x):
    checks.numeric(type(self).__name__, x)
    x = tf.convert_to_tensor(x)
    given = tuple(x.shape[1:])
    if given != self.event_shape:
      raise ValueError(f"{type(self).__name__} expects examples of shape {self.event_shape}, "
                       f"got shape {given}")
    x = tf.cast(x, tf.float32)
    if self.num_values:
      return head_lib.check_integer_range(x, self.num_values, type(self).__name__)
    return x

  def preprocess(self, x, seed=None):
    """Data x -> (w, log |dw/dx|): dequantize and logit for discrete data, else unchanged."""
    x = self.check_inputs(x)
    if not self.num_values:
      return x, tf.zeros([tf.shape(x)[0]])
    noise = (keras.random.uniform(tf.shape(x), seed=self.seed_generator) if seed is None
             else sampling.uniform(tf.shape(x), seed))
    y, log_det = dequantization.dequantize(x, self.num_values, noise=noise)
    if self.logit_alpha:
      y, logit_log_det = dequantization.logit(y, self.logit_alpha)
      log_det = log_det + logit_log_det
    return y, log_det

  def postprocess(self, w):
    """The flow's input space -> data (integers for discrete data)."""
    if not self.num_values:
      return w
    y = dequantization.inverse_logit(w, self.logit_alpha) if self.logit_alpha else w
    return dequantization.quantize(y, self.num_values)

  # ---- likelihood --------------------------------------------------------

  def forward(self, x, seed=None):
    """(z [batch, D], log |det dz/dx|) including the preprocessing's Jacobian."""
    w, log_det = self.preprocess(x, seed)
    if not self.built:  # transform() calls its layers' methods, not the layers themselves.
      self.build((None,) + self.event_shape)
    z, flow_log_det = self.transform(w)
    return z, log_det + flow_log_det

  @property
  def likelihood_kind(self):
    """"dequantized" for discrete data (num_values > 0), else "exact"."""
    return "dequantized" if self.num_values else "exact"

  def log_prob(self, x, condition=None, seed=None):
    """log p(x) in nats: [batch]. Discrete data: a one-sample dequantization bound."""
    self.encode_condition(condition)  # Flows are unconditional: refuses a condition.
    z, log_det = self.forward(x, seed)
    base = -0.5 * tf.reduce_sum(tf.square(z), axis=-1) - 0.5 * self.num_dims * math.log(2 * math.pi)
    return base + log_det

  def evaluation_log_prob(self, x, condition=None, seed=None):
    """The dequantization bound averaged over DEQUANTIZATION_DRAWS draws of u: [batch].

    -E_u log p((x + u) / K) + D log K, E_u over draws seeded [s0, s1 * DRAWS + draw]
    for seed [s0, s1] (one draw moves a digit's number by about 0.5 nats).
    Continuous data: the exact log p(x).
    """
    if self._compiled_log_prob is None:
      self._compiled_log_prob = tf.function(
          lambda x, draw_seed: self.log_prob(x, condition=None, seed=draw_seed))
    if not self.num_values:
      return self._compiled_log_prob(x, None)
    seed = sampling.as_seed(0 if seed is None else seed)
    return tf.add_n([
        self._compiled_log_prob(x, tf.stack([seed[0], seed[1] * DEQUANTIZATION_DRAWS + draw]))
        for draw in range(DEQUANTIZATION_DRAWS)]) / DEQUANTIZATION_DRAWS

  def call(self, inputs, training=None):
    """z = f(x): [batch, D]."""
    del training
    return self.forward(inputs)[0]

  # ---- training: loss = mean -log p(x) in nats, one pass per step -------

  @property
  def metrics(self):
    return [self.loss_tracker]

  def _update_loss(self, x, loss):
    # Weighted by batch size, so a short last batch counts for what it holds.
    self.loss_tracker.update_state(loss, sample_weight=tf.cast(tf.shape(x)[0], tf.float32))
    return {"loss": self.loss_tracker.result()}

  def train_step(self, data):
    x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
    with tf.GradientTape() as tape:
      loss = -tf.reduce_mean(self.log_prob(x))
      scaled = scale_for_update(loss, self.optimizer)
    gradients = tape.gradient(scaled, self.trainable_weights)
    self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))
    return self._update_loss(x, loss)

  def test_step(self, data):
    x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
    return self._update_loss(x, -tf.reduce_mean(self.log_prob(x)))

  # ---- sampling ----------------------------------------------------------

  def inverse(self, z):
    """x = f^-1(z) in data space: [batch, *event_shape]."""
    return self.postprocess(tf.reshape(self.inverse_transform(z), (-1,) + self.event_shape))

  def noise_shapes(self):
    """{"z": [num_dims]}, standard normal: sample_from_noise(z) is f^-1(z)."""
    return {"z": (self.num_dims,)}

  def _sample(self, num_samples, condition, temperature, seed, noise=None):
    """x = f^-1(z), z ~ N(0, temperature^2 I): [num_samples, *event_shape]."""
    del condition  # Always None: flows are unconditional.
    if not self.built:
      self(tf.zeros((1,) + self.event_shape))
    z = temperature * (sampling.normal([num_samples, self.num_dims], seed) if noise is None
                       else noise["z"])
    return self.inverse(z)

  def get_config(self):
    config = super().get_config()
    config.update(event_shape=list(self.event_shape), num_values=self.num_values,
                  logit_alpha=self.logit_alpha, seed=self.seed)
    return config
