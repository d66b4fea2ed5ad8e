"""Base class of tfgen's output heads."""

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen.heads import sampling

# Bounds of the heads' size arguments: a K or a bin count beyond 2**20 (or a mixture of more
# than 1024 components) is a mistake, and would allocate its parameters first.
MAX_VALUES = 2**20
MAX_COMPONENTS = 1024

tfd = tfp.distributions


class Head:
  """Turns a network's parameter tensor into a `tfd` distribution.

  A head describes one *element* of an event: a scalar for most heads, a pixel's
  channel vector for heads that couple channels. For an event of shape
  `event_shape` the network emits

    params: [batch..., *grid_shape, params_per_element]

  where `grid_shape` is `event_shape` without the element's own trailing axes.
  The distribution factorises over the grid given the parameters:

    p(x | params) = prod_g p_head(x[g] | params[g])

  so an autoregressive model makes `params[g]` depend on x only through the
  positions before g in its ordering.

  Subclasses define `params_per_element`, `_element_distribution`,
  `check_support`, `noise_size` and `_sample_from_noise`; every draw is a
  transform of uniform noise with ops that convert to TFLite builtins, so a
  client that passes the noise (`sample_from_noise`) replays a draw exactly.
  """

  # How many trailing axes of the event one parameter vector covers.
  element_ndims = 0

  @property
  def num_values(self):
    """K for a head over the integers 0..K-1; None for a continuous head."""
    return None

  def params_per_element(self, element_shape=()):
    raise NotImplementedError

  def grid_shape(self, event_shape):
    """The event shape without the element's trailing axes."""
    event_shape = tuple(int(size) for size in event_shape)
    return event_shape[:len(event_shape) - self.element_ndims]

  def params_shape(self, event_shape):
    """Shape of one example's parameter tensor: grid_shape + (params_per_element,)."""
    event_shape = tuple(int(size) for size in event_shape)
    if len(event_shape) < self.element_ndims:
      raise ValueError(f"{type(self).__name__} needs an event of rank >= {self.element_ndims}, "
                       f"got event_shape={event_shape}")
    grid = self.grid_shape(event_shape)
    return grid + (self.params_per_element(event_shape[len(grid):]),)

  def params_size(self, event_shape):
    """Number of parameters for one example with this event shape."""
    return int(np.prod(self.params_shape(event_shape)))

  def normalize(self, x):
    """Maps head-valued data to a network-friendly float input (default: unchanged)."""
    return tf.cast(x, tf.float32)

  def distribution(self, params, batch_ndims=1):
    """Returns a `tfd.Distribution` whose event is everything after `batch_ndims` axes.

    Args:
      params: [batch..., *grid_shape, params_per_element] float tensor.
      batch_ndims: how many leading axes of `params` are batch axes.
    """
    params = as_float32(params)
    grid_ndims = params.shape.rank - 1 - batch_ndims
    if grid_ndims < 0:
      raise ValueError(f"params of rank {params.shape.rank} cannot have {batch_ndims} batch axes")
    elements = self._element_distribution(params)
    if grid_ndims == 0:
      return elements
    return tfd.Independent(elements, reinterpreted_batch_ndims=grid_ndims)

  def log_prob(self, x, params, batch_ndims=1):
    """log p(x | params), summed over the event: [batch...].

    Values outside the head's support raise `tf.errors.InvalidArgumentError`
    naming the head, instead of returning a silent NaN or a wrong number.
    The checks are graph asserts, which XLA drops: inside a `jit_compile=True`
    function (e.g. `compile(jit_compile=True)`, or Keras's default "auto" on a
    GPU) they do not run, so check the data once outside it (an eager
    `log_prob` on it raises as above).
    """
    x = tf.convert_to_tensor(x)
    if not x.dtype.is_floating:
      x = tf.cast(x, tf.float32)
    x = self.check_support(tf.cast(x, tf.float32))
    return self.distribution(params, batch_ndims).log_prob(x)

  def sample(self, params, seed=None, temperature=1.0):
    """Draws x ~ p(x | params) with TFLite-builtin ops.

    Args:
      params: [batch..., *grid_shape, params_per_element].
      seed: None (stateful `tf.random` ops), an int or a [2] int tensor (stateless).
      temperature: > 0; < 1 sharpens, > 1 flattens.
    Returns:
      float32 samples of shape params.shape[:-1] + element_shape.
    """
    params = as_float32(params)
    shape = tf.concat([tf.shape(params)[:-1], [self.noise_size(int(params.shape[-1]))]], axis=0)
    return self._sample_from_noise(params, sampling.uniform(shape, seed), temperature)

  def sample_from_noise(self, params, noise, temperature=1.0):
    """The draw of `sample` with its randomness given: uniform noise in [0, 1].

    Args:
      params: [batch..., *grid_shape, params_per_element].
      noise: [batch..., *grid_shape, noise_size(params_per_element)] uniform
        numbers (clipped into (1e-6, 1 - 1e-6)).
      temperature: > 0.
    Returns:
      float32 samples of shape params.shape[:-1] + element_shape.
    """
    params = as_float32(params)
    noise = sampling.clip_noise(noise)
    size = self.noise_size(int(params.shape[-1]))
    if noise.shape.rank is not None and noise.shape[-1] is not None and noise.shape[-1] != size:
      raise ValueError(f"{self!r} draws an element from {size} uniform numbers, got noise with "
                       f"last axis {noise.shape[-1]}")
    return self._sample_from_noise(params, noise, temperature)

  def noise_size(self, num_params):
    """How many uniform numbers one element's draw takes, for `num_params` params per element."""
    raise NotImplementedError

  def mean(self, params):
    """E[x | params] per element, the "x hat" of NADE pictures: params.shape[:-1] (+ element)."""
    params = as_float32(params)
    return self.distribution(params, batch_ndims=params.shape.rank - 1).mean()

  def _element_distribution(self, params):
    raise NotImplementedError

  def check_support(self, x):
    """x with graph asserts attached that its values lie in the head's support.

    Values outside raise `tf.errors.InvalidArgumentError` naming the head (where
    the asserts run: eagerly and in `tf.function`, not under XLA).
    """
    raise NotImplementedError

  def _sample_from_noise(self, params, noise, temperature):
    raise NotImplementedError

  def get_config(self):
    return {}

  @classmethod
  def from_config(cls, config):
    return cls(**config)

  def __repr__(self):
    args = ", ".join(f"{key}={value!r}" for key, value in self.get_config().items())
    return f"{type(self).__name__}({args})"


def as_float32(params):
  """params as a float32 tensor: a network under mixed precision emits 16-bit ones, and the
  probabilities are computed in float32."""
  params = tf.convert_to_tensor(params)
  return params if params.dtype == tf.float32 else tf.cast(params, tf.float32)


def check_integer_range(x, num_values, head_name):
  """Asserts x holds integers in [0, num_values); returns x with the check attached.

  Graph asserts: they run eagerly and in `tf.function`, but XLA drops them.
  """
  message = f"{head_name} expects integer values in [0, {num_values - 1}]"
  checks = [
      tf.debugging.assert_equal(x, tf.round(x), message=message + ", got non-integer values"),
      tf.debugging.assert_greater_equal(x, 0.0, message=message + ", got values < 0"),
      tf.debugging.assert_less_equal(x, float(num_values - 1),
                                     message=message + f", got values > {num_values - 1}"),
  ]
  with tf.control_dependencies(checks):
    return tf.identity(x)
