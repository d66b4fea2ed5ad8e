"""Random draws that convert to TFLite builtins, with optional stateless seeds.

With `seed=None` the draws use `tf.random.uniform` / `tf.random.normal`, which
run in LiteRT as builtin ops: exported samplers use this path. With a seed (an
int, or an int32 tensor of shape [2]) they use the stateless kernels, so the same
seed gives the same draw in Python; those kernels are not TFLite builtins.
The stateless kernels give other numbers inside an XLA-compiled function than
outside one (even with an explicit `alg`), so a seed reproduces a draw only
under the same compilation mode; tfgen's samplers always compile with XLA.
"""

import numbers

import numpy as np

import tensorflow as tf

# Keeps log(u) and log(1 - u) finite.
_EPSILON = 1e-6


def as_seed(seed):
  """Turns an int or a [2] tensor into an int32 stateless seed, or None."""
  if seed is None:
    return None
  if isinstance(seed, numbers.Integral):
    return tf.constant([int(seed) % 2**31, 0], dtype=tf.int32)
  seed = tf.cast(seed, tf.int32)
  if seed.shape.rank != 1 or seed.shape[0] != 2:
    raise ValueError(f"a seed must be an int or a tensor of shape [2], got shape {seed.shape}")
  return seed


def split(seed, num):
  """Returns `num` independent seeds derived from `seed` (a list of None if unseeded)."""
  seed = as_seed(seed)
  if seed is None:
    return [None] * num
  return [tf.random.experimental.stateless_fold_in(seed, index) for index in range(num)]


def uniform(shape, seed=None):
  """Uniform draws in (eps, 1 - eps)."""
  seed = as_seed(seed)
  if seed is None:
    return tf.random.uniform(shape, minval=_EPSILON, maxval=1.0 - _EPSILON)
  return tf.random.stateless_uniform(shape, seed=seed, minval=_EPSILON, maxval=1.0 - _EPSILON)


def normal(shape, seed=None):
  """Standard normal draws."""
  seed = as_seed(seed)
  if seed is None:
    return tf.random.normal(shape)
  return tf.random.stateless_normal(shape, seed=seed)


def clip_noise(noise):
  """Uniform noise clipped into (eps, 1 - eps), so that noise of exactly 0 or 1 stays finite."""
  return tf.clip_by_value(tf.cast(noise, tf.float32), _EPSILON, 1.0 - _EPSILON)


def gumbel_argmax(logits, seed=None, noise=None):
  """Index drawn from Categorical(logits) over the last axis, by the Gumbel-max trick.

  argmax(logits + g), g = -log(-log u), uses only uniform, log and argmax, all
  TFLite builtins. `noise` (uniform, the shape of logits) replaces the draw of u.
  """
  noise = uniform(tf.shape(logits), seed) if noise is None else clip_noise(noise)
  gumbel = -tf.math.log(-tf.math.log(noise))
  return tf.argmax(logits + gumbel, axis=-1, output_type=tf.int32)


def normal_from_uniform(first, second):
  """Standard normal draws from two uniforms of one shape (Box-Muller).

    z = sqrt(-2 log u1) cos(2 pi u2)

  With u clipped to (1e-6, 1 - 1e-6), |z| < 5.26.
  """
  first, second = clip_noise(first), clip_noise(second)
  return tf.sqrt(-2.0 * tf.math.log(first)) * tf.cos(2.0 * np.pi * second)


def logistic_from_uniform(noise):
  """Standard logistic draws: log u - log(1 - u)."""
  noise = clip_noise(noise)
  return tf.math.log(noise) - tf.math.log(1.0 - noise)


def select(values, index, depth):
  """values[..., index] over the last axis, by a one-hot product (TFLite-friendly)."""
  return tf.reduce_sum(values * tf.one_hot(index, depth, dtype=values.dtype), axis=-1)


def check_filters(top_k=0, top_p=1.0):
  """Validates the next-token rules; returns (int top_k, float top_p)."""
  if isinstance(top_k, bool) or int(top_k) != top_k or top_k < 0:
    raise ValueError(f"top_k must be an integer >= 0 (0 = all values), got {top_k!r}")
  if not 0.0 < float(top_p) <= 1.0:
    raise ValueError(f"top_p must be in (0, 1] (1 = all values), got {top_p!r}")
  return int(top_k), float(top_p)


def filter_logits(logits, temperature=1.0, top_k=0, top_p=1.0):
  """The next-token rules: logits [..., K] / temperature, all but the top-k / top-p mass at -inf.

  top_k keeps the k likeliest values (0 = all); top_p keeps the smallest set
  whose probability reaches top_p (the likeliest value always stays; 1 = all).
  `top_k` and `top_p` are Python numbers; at their defaults only the
  temperature applies.
  """
  logits = logits / temperature
  num_values = logits.shape[-1]
  if top_k and top_k < num_values:
    kth = tf.math.top_k(logits, k=top_k).values[..., -1:]
    logits = tf.where(logits < kth, -np.inf, logits)
  if top_p < 1.0:
    sorted_logits = tf.sort(logits, direction="DESCENDING", axis=-1)
    cumulative = tf.cumsum(tf.nn.softmax(sorted_logits, axis=-1), axis=-1)
    keep = tf.concat([tf.ones_like(cumulative[..., :1], tf.bool), cumulative[..., :-1] < top_p],
                     axis=-1)
    threshold = tf.reduce_min(tf.where(keep, sorted_logits, np.inf), axis=-1, keepdims=True)
    logits = tf.where(logits < threshold, -np.inf, logits)
  return logits
