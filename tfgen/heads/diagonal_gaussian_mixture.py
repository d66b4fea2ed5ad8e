"""A mixture of diagonal Gaussians over a whole vector element (a mixture density network)."""

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen.heads import sampling
from tfgen.heads.head import Head, MAX_COMPONENTS, as_float32
from tfgen.heads.normal import check_finite
from tfgen.utils import checks

tfd = tfp.distributions


@keras.saving.register_keras_serializable(package="tfgen")
class DiagonalGaussianMixture(Head):
  """One element is a D-vector (a pose, a frame): a K-component mixture of diagonal Gaussians.

    p(x | params) = sum_k pi_k prod_d N(x_d; mu_kd, sigma_kd^2),
    params = (logits_1..K, mu [K, D], raw_scale [K, D]),
    pi = softmax(logits),  sigma = softplus(raw_scale) + min_scale

  Unlike `GaussianMixture`, whose every scalar picks its own component, here
  one component is chosen for the whole vector, so a draw is one coherent
  pose. K = 1 has no logits. With `fixed_scale` the network emits no scales:
  sigma = fixed_scale everywhere, and with K = 1 the loss -log p(x) is
  ||x - mu||^2 / (2 fixed_scale^2) + const, point regression with a squared error.

  Args:
    num_components: K >= 1.
    min_scale: lower bound on each learned sigma.
    fixed_scale: None to learn the scales, or sigma > 0 for all of them.

  Params: [batch..., *grid_shape, P] with P = (K if K > 1) + K D (+ K D learned scales).

  Example:
    head = DiagonalGaussianMixture(num_components=3)
    head.params_shape((25, 4))      # (25, 27): 25 frames of 4 values
    head.sample(tf.zeros([2, 25, 27]), seed=1)   # [2, 25, 4]

  Reference: Bishop, "Mixture Density Networks", 1994.
  """

  element_ndims = 1

  def __init__(self, num_components=1, min_scale=1e-3, fixed_scale=None):
    owner = "DiagonalGaussianMixture"
    self.num_components = checks.integer(owner, "num_components", num_components, 1,
                                         MAX_COMPONENTS)
    self.min_scale = checks.positive(owner, "min_scale", min_scale)
    self.fixed_scale = (None if fixed_scale is None  # None: learned.
                        else checks.positive(owner, "fixed_scale", fixed_scale))

  @property
  def _num_logits(self):
    return self.num_components if self.num_components > 1 else 0

  @property
  def _blocks(self):
    """Blocks of K x D values after the logits: means, and scales when learned."""
    return 1 if self.fixed_scale is not None else 2

  def params_per_element(self, element_shape=()):
    if len(element_shape) != 1 or int(element_shape[0]) < 1:
      raise ValueError(f"DiagonalGaussianMixture's element is one vector axis, got element "
                       f"shape {tuple(element_shape)}")
    return self._num_logits + self._blocks * self.num_components * int(element_shape[0])

  def element_size(self, params):
    """D, from the last axis of params."""
    size = int(params.shape[-1]) - self._num_logits
    if size <= 0 or size % (self._blocks * self.num_components):
      raise ValueError(f"{int(params.shape[-1])} params per element do not fit {self!r}")
    return size // (self._blocks * self.num_components)

  def split_params(self, params):
    """(logits [..., K], loc [..., K, D], scale [..., K, D]); logits are zeros when K = 1."""
    params = as_float32(params)
    size, components = self.element_size(params), self.num_components
    lead = tf.shape(params)[:-1]
    if self._num_logits:
      logits = params[..., :components]
    else:
      logits = tf.zeros(tf.concat([lead, [1]], 0))
    rest = params[..., self._num_logits:]
    shape = tf.concat([lead, [components, size]], 0)
    loc = tf.reshape(rest[..., :components * size], shape)
    if self.fixed_scale is not None:
      scale = tf.fill(shape, self.fixed_scale)
    else:
      scale = tf.nn.softplus(tf.reshape(rest[..., components * size:], shape)) + self.min_scale
    return logits, loc, scale

  def shift_loc(self, params, offset):
    """params with `offset` [..., D] added to every component's mean (residual predictions)."""
    params = as_float32(params)
    size, components = self.element_size(params), self.num_components
    tiled = tf.tile(tf.convert_to_tensor(offset, tf.float32), [1] * (params.shape.rank - 1)
                    + [components])
    start, stop = self._num_logits, self._num_logits + components * size
    # Empty slices are left out: LiteRT mis-sizes a strided slice that selects nothing.
    pieces = [params[..., :start]] if start else []
    pieces.append(params[..., start:stop] + tiled)
    if stop < int(params.shape[-1]):
      pieces.append(params[..., stop:])
    return tf.concat(pieces, axis=-1) if len(pieces) > 1 else pieces[0]

  def _element_distribution(self, params):
    logits, loc, scale = self.split_params(params)
    if self.num_components == 1:
      return tfd.Independent(tfd.Normal(loc[..., 0, :], scale[..., 0, :]), 1)
    return tfd.MixtureSameFamily(
        mixture_distribution=tfd.Categorical(logits=logits),
        components_distribution=tfd.Independent(tfd.Normal(loc, scale), 1))

  def mean(self, params):
    """E[x | params] = sum_k pi_k mu_k: params.shape[:-1] + (D,)."""
    logits, loc, _ = self.split_params(params)
    return tf.reduce_sum(tf.expand_dims(tf.nn.softmax(logits), -1) * loc, axis=-2)

  def check_support(self, x):
    return check_finite(x, "DiagonalGaussianMixture head")

  def noise_size(self, num_params):
    # The component's Gumbel noise (K; unused when K = 1), then D Box-Muller pairs.
    size = (num_params - self._num_logits) // (self._blocks * self.num_components)
    return self.num_components + 2 * size

  def _sample_from_noise(self, params, noise, temperature):
    logits, loc, scale = self.split_params(params)
    size, components = self.element_size(params), self.num_components
    component = sampling.gumbel_argmax(logits / temperature,
                                       noise=noise[..., :int(logits.shape[-1])])
    pick = tf.expand_dims(tf.one_hot(component, components), -1)  # [..., K, 1]; a builtin
    loc = tf.reduce_sum(loc * pick, axis=-2)
    scale = tf.reduce_sum(scale * pick, axis=-2)
    standard = sampling.normal_from_uniform(noise[..., components:components + size],
                                            noise[..., components + size:])
    return loc + temperature * scale * standard

  def get_config(self):
    return {"num_components": self.num_components, "min_scale": self.min_scale,
            "fixed_scale": self.fixed_scale}
