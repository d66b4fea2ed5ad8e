"""Importance-weighted estimates of log p(x) for latent-variable models, streamed in chunks."""

import math
import weakref

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen.heads import sampling

tfd = tfp.distributions

# model -> {name: its compiled function}; an entry goes with its model.
_COMPILED = weakref.WeakKeyDictionary()


def _compiled(model, name, function):
  """function(model, *args) compiled once per model, holding the model only weakly."""
  functions = _COMPILED.setdefault(model, {})
  if name not in functions:
    reference = weakref.ref(model)
    functions[name] = tf.function(lambda *args: function(reference(), *args),
                                  reduce_retracing=True)
  return functions[name]


def log_likelihood(model, x, num_samples=5000, chunk_size=500, condition=None, seed=None,
                   posterior=None):
  """log p(x) ~= log (1/K) sum_{i<=K} p(x, z_i) / q(z_i | x),  z_i ~ q(z | x): [batch] nats.

  The estimate is the IWAE bound with K samples: a lower bound in expectation
  that tightens as K grows (Burda et al. 2016). The K log-weights are made
  `chunk_size` at a time and folded into a running log-sum-exp (max and scaled
  sum), so memory stays at one chunk whatever K is.

  Args:
    model: a `VAE` (anything with `log_weights(x, k, condition, seed)`).
    x: [batch, *event_shape].
    num_samples: K >= 1.
    chunk_size: samples per chunk (memory ~ chunk_size x batch decoder outputs).
    condition: labels for a conditional model.
    seed: None, or an int for a repeatable estimate.
    posterior: the proposal; None = the encoder's q(z | x). Any proposal gives a
      valid estimate (E[p(x, z) / r(z)] = p(x) for every r), and a better one a
      tighter one: see `refine_posterior`.
  """
  num_samples, chunk_size = int(num_samples), int(chunk_size)
  if num_samples < 1 or chunk_size < 1:
    raise ValueError(f"num_samples and chunk_size must be >= 1, got {num_samples}, {chunk_size}")
  x = tf.convert_to_tensor(x, tf.float32)
  condition = model.encode_condition(condition)
  seeds = sampling.split(seed, math.ceil(num_samples / chunk_size))
  running_max = tf.fill([tf.shape(x)[0]], -np.inf)
  running_sum = tf.zeros([tf.shape(x)[0]])
  for index, start in enumerate(range(0, num_samples, chunk_size)):
    size = min(chunk_size, num_samples - start)
    log_weights = _chunk(model, x, size, condition, seeds[index], posterior)
    new_max = tf.maximum(running_max, tf.reduce_max(log_weights, axis=0))
    # While every weight so far is 0 (max -inf), keep the shift finite: -inf - -inf is NaN.
    shift = tf.where(tf.math.is_finite(new_max), new_max, 0.0)
    running_sum = (running_sum * tf.exp(running_max - shift)
                   + tf.reduce_sum(tf.exp(log_weights - shift), axis=0))
    running_max = new_max
  return tf.math.log(running_sum) + tf.where(tf.math.is_finite(running_max), running_max, 0.0) \
      - math.log(num_samples)


def _chunk(model, x, size, condition, seed, posterior=None):
  """One chunk of log-weights [size, batch], through a per-model compiled function."""
  compiled = _compiled(model, "log_weights", _log_weights)
  proposal = None if posterior is None else (posterior.mean(), posterior.stddev())
  return compiled(x, tf.constant(size), condition, seed, proposal)


def _log_weights(model, x, size, condition, seed, proposal):
  posterior = None if proposal is None else _normal(*proposal)
  return model.log_weights(x, size, condition=condition, seed=seed, posterior=posterior)


def _normal(mean, scale):
  return tfd.Independent(tfd.Normal(mean, scale), 1)


def refine_posterior(model, x, num_steps, condition=None, learning_rate=0.02, num_samples=8,
                     seed=None):
  """The encoder's q(z | x), refined for each example by Adam steps on its ELBO.

    r(z | x) = N(m, diag s^2),  (m, log s) <- Adam steps on
    (1/S) sum_s log p(x | m + s * eps_s) - KL(N(m, s^2) || p(z)),  starting at q(z | x)

  An amortised encoder fits the training images; on new images its q(z | x)
  can sit far from the posterior (the amortisation gap, Cremer et al. 2018),
  and then the IWAE estimate needs many more samples. Refined per example
  (semi-amortised inference, Kim et al. 2018), it is a better proposal for
  `log_likelihood(..., posterior=r)`; the model p(x) is unchanged.

  Args:
    model: a `VAE`.
    x: [batch, *event_shape].
    num_steps: Adam steps (>= 0; 0 returns q(z | x)).
    condition: labels for a conditional model.
    learning_rate: Adam step size on m and log s.
    num_samples: S, reparameterized samples per step.
    seed: None, or an int for a repeatable refinement.

  Returns:
    A `tfd` Normal with batch [batch] and event [latent_size].
  """
  num_steps, num_samples = int(num_steps), int(num_samples)
  if num_steps < 0 or num_samples < 1:
    raise ValueError(f"num_steps must be >= 0 and num_samples >= 1, got {num_steps}, {num_samples}")
  x = tf.convert_to_tensor(x, tf.float32)
  condition = model.encode_condition(condition)
  posterior = model.encode(x, condition)
  if num_steps == 0:
    return posterior
  compiled = _compiled(model, "refine", _refine)
  seed = sampling.as_seed(seed)
  if seed is None:
    seed = tf.random.uniform([2], maxval=2**31 - 1, dtype=tf.int32)
  mean, log_scale = compiled(x, condition, posterior.mean(), tf.math.log(posterior.stddev()),
                             tf.constant(num_steps), tf.constant(float(learning_rate)),
                             tf.constant(num_samples), seed)
  return _normal(mean, tf.exp(log_scale))


def _refine(model, x, condition, mean, log_scale, num_steps, learning_rate, num_samples, seed):
  """num_steps of Adam (beta 0.9, 0.999) on each example's ELBO in (mean, log_scale)."""
  batch = tf.shape(mean)[0]
  flat_condition = None if condition is None else tf.tile(condition, [num_samples, 1])
  tiled_x = tf.tile(x, tf.concat([[num_samples], tf.ones([tf.rank(x) - 1], tf.int32)], 0))
  prior = model.prior(condition, batch)
  step_seeds = tf.random.experimental.stateless_split(seed, num_steps)

  def negative_elbo(mean, log_scale, step_seed):
    noise = tf.random.stateless_normal(tf.stack([num_samples, batch, model.latent_size]),
                                       step_seed)
    z = tf.reshape(mean + tf.exp(log_scale) * noise, [-1, model.latent_size])
    log_likelihood = tf.reshape(model.head.log_prob(tiled_x, model.decode(z, flat_condition)),
                                [num_samples, batch])
    kl = tfd.kl_divergence(_normal(mean, tf.exp(log_scale)), prior)
    # A sum over examples: each example's gradient is its own ELBO's.
    return tf.reduce_sum(kl - tf.reduce_mean(log_likelihood, axis=0))

  def step(index, params, first, second):
    with tf.GradientTape() as tape:
      tape.watch(params)
      loss = negative_elbo(params[0], params[1], step_seeds[index])
    gradients = tape.gradient(loss, params)
    count = tf.cast(index + 1, tf.float32)
    new_params, new_first, new_second = [], [], []
    for param, gradient, moment, square in zip(params, gradients, first, second):
      moment = 0.9 * moment + 0.1 * gradient
      square = 0.999 * square + 0.001 * tf.square(gradient)
      update = (moment / (1.0 - 0.9 ** count)) / (tf.sqrt(square / (1.0 - 0.999 ** count)) + 1e-8)
      new_params.append(param - learning_rate * update)
      new_first.append(moment)
      new_second.append(square)
    return index + 1, new_params, new_first, new_second

  zeros = [tf.zeros_like(mean), tf.zeros_like(log_scale)]
  _, params, _, _ = tf.while_loop(lambda index, *_: index < num_steps, step,
                                  (tf.constant(0), [mean, log_scale], zeros, zeros))
  return params[0], params[1]
