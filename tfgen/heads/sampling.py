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


def gumbel_argmax(logits, seed=None):
  """Index drawn from Categorical(logits) over the last axis, by the Gumbel-max trick.

  argmax(logits + g), g = -log(-log u), uses only uniform, log and argmax, all
  TFLite builtins.
  """
  gumbel = -tf.math.log(-tf.math.log(uniform(tf.shape(logits), seed)))
  return tf.argmax(logits + gumbel, axis=-1, output_type=tf.int32)


def select(values, index, depth):
  """values[..., index] over the last axis, by a one-hot product (TFLite-friendly)."""
  return tf.reduce_sum(values * tf.one_hot(index, depth, dtype=values.dtype), axis=-1)
