"""Base class of tfgen's autoregressive models: log_prob in one pass, sampling written once."""

import functools
import warnings

import keras
import numpy as np
import tensorflow as tf

from tfgen import heads as heads_lib
from tfgen.heads import sampling
from tfgen.models.generative_model import GenerativeModel
from tfgen.models.losses import scale_for_replicas
from tfgen.utils import checks


class AutoregressiveModel(GenerativeModel):
  """A model of p(x) = prod_t p(x_{o(t)} | x_{o(1)}, ..., x_{o(t-1)}) for an ordering o.

  Subclasses implement `call(x) -> params` of shape [batch, *grid_shape, P],
  where params at each grid position depend on x only through positions earlier
  in `sampling_order()`; the head turns them into the distribution. This class
  provides the loss (-log_prob), `log_prob`, and `sample`. A model with a cached
  step (RNN state, KV cache, conv queues) overrides `_initial_sample_state` and
  `_sample_step`; the default step reruns the whole network.

  Args:
    event_shape: shape of one example, e.g. (28, 28, 1) or (784,).
    head: a `tfgen.heads.Head` (or its serialized config).
    input_encoding: how a network sees x: "scalar" (the head's normalized
      values), "one_hot" (K features per position, Categorical heads only) or
      "auto" (one_hot for Categorical heads, else scalar).
  """

  # Whether `_sample_step` carries no state, so fully given positions may be skipped.
  _stateless_sampling = True
  # The sampling loop is compiled with XLA: one fused program instead of a few
  # hundred small kernel launches per drawn element (30x faster for the cached
  # transformer step on CPU). Stateless random kernels give other numbers under
  # XLA than without it, so every path (cached or naive) must use the same mode
  # for a seed to mean the same sample.
  jit_sampling = True

  def __init__(self, event_shape, head, input_encoding="auto", **kwargs):
    super().__init__(**kwargs)
    head = heads_lib.as_head(head)
    self.event_shape = tuple(int(size) for size in event_shape)
    if not self.event_shape or min(self.event_shape) < 1:
      raise ValueError(f"event_shape must be non-empty with positive sizes, got {event_shape}")
    self.head = head
    self.params_shape = head.params_shape(self.event_shape)
    self.grid_shape = self.params_shape[:-1]
    self.num_positions = int(np.prod(self.grid_shape))
    self.element_size = int(np.prod(self.event_shape)) // self.num_positions
    if input_encoding not in ("auto", "scalar", "one_hot"):
      raise ValueError(f"input_encoding must be 'auto', 'scalar' or 'one_hot', got {input_encoding!r}")
    is_categorical = isinstance(head, heads_lib.Categorical)
    if input_encoding == "one_hot" and not (is_categorical and self.element_size == 1):
      raise ValueError("input_encoding='one_hot' needs a Categorical head with scalar elements")
    if input_encoding == "auto":
      input_encoding = "one_hot" if is_categorical and self.element_size == 1 else "scalar"
    self.input_encoding = input_encoding
    # Features per grid position that the network sees.
    self.input_features = head.num_classes if input_encoding == "one_hot" else self.element_size
    self._compiled_samplers = {}  # (cached, top_k, top_p) -> the compiled sampling loop
    self._compiled_log_prob = None
    self.position_degrees = None

  # ---- shapes and checks -------------------------------------------------

  def check_event_shape(self, x):
    """Raises a ValueError naming expected and given sizes when x's event shape is wrong."""
    if isinstance(x, (tuple, list, dict)):
      x, _ = self.split_inputs(x)  # Raises for an unconditional model.
    checks.numeric(type(self).__name__, x)
    given = tuple(x.shape[1:])
    if len(given) != len(self.event_shape) or any(
        size is not None and size != expected for size, expected in zip(given, self.event_shape)):
      raise ValueError(
          f"{type(self).__name__} expects examples of shape {self.event_shape} "
          f"({int(np.prod(self.event_shape))} values), got shape {given}"
          + (f" ({int(np.prod(given))} values)" if None not in given else ""))

  def encode_inputs(self, x):
    """x [batch, *event_shape] -> network input [batch, num_positions, input_features]."""
    flat = tf.reshape(tf.cast(x, tf.float32), [-1, self.num_positions, self.element_size])
    return self.encode_elements(flat)

  def encode_elements(self, elements):
    """[..., element_size] values -> [..., input_features] network input."""
    if self.input_encoding == "one_hot":
      return tf.one_hot(tf.cast(elements[..., 0], tf.int32), self.input_features)
    return self.head.normalize(elements)

  def build_ordering(self, degrees):
    """Stores each position's degree (1..N, its place in the order) as a saved weight.

    Call from `build`; models that change their ordering later assign to it.
    """
    self.position_degrees = self.add_weight(
        name="position_degrees", shape=(self.num_positions,), dtype="int32", initializer="zeros",
        trainable=False)
    self.position_degrees.assign(np.asarray(degrees, np.int32))

  def sampling_order(self):
    """int32 [num_positions]: the grid positions (row-major) in generation order."""
    if self.position_degrees is None:
      return tf.range(self.num_positions, dtype=tf.int32)
    return tf.cast(tf.argsort(tf.convert_to_tensor(self.position_degrees)), tf.int32)

  # ---- likelihood --------------------------------------------------------

  def log_prob(self, x, condition=None):
    """log p(x) (or log p(x | condition)) in nats, one pass: [batch].

    Args:
      x: [batch, *event_shape].
      condition: int labels [batch]; needed exactly when num_conditions > 0.
    """
    x = tf.convert_to_tensor(x)
    self.check_event_shape(x)
    inputs = x if condition is None else (x, tf.convert_to_tensor(condition))
    return self.head.log_prob(x, self(inputs, training=False))

  def evaluation_log_prob(self, x, condition=None, seed=None):
    """`log_prob` compiled into one graph (see `GenerativeModel.evaluation_log_prob`)."""
    del seed
    if self._compiled_log_prob is None:
      self._compiled_log_prob = tf.function(self.log_prob)
    return self._compiled_log_prob(x, condition)

  def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
    """Mean negative log-likelihood per example, in nats (plus any layer losses in training).

    Penalties such as FVSBN's `l2` count only in training, so validation loss
    (early stopping, the best checkpoint) is the NLL itself.
    """
    del y, sample_weight
    x, _ = self.split_inputs(x)
    loss = -tf.reduce_mean(self.head.log_prob(x, y_pred))
    if self.losses and training:
      loss = loss + tf.add_n(self.losses)
    return scale_for_replicas(loss)

  # ---- sampling ----------------------------------------------------------

  def sample(self, num_samples, *, condition=None, temperature=1.0, seed=None,
             conditioned_on=None, mask=None, cached=True, top_k=0, top_p=1.0):
    """Draws x ~ p(x), or completes x given the entries where `mask` is 1.

    Args:
      num_samples: number of examples to draw.
      condition: for a conditional model, an int label, or int labels
        [num_samples], to draw x ~ p(x | label).
      temperature: > 0; scales the head's randomness.
      seed: None, an int or a [2] int tensor; the same seed gives the same samples.
      conditioned_on: optional [num_samples, *event_shape] values to keep.
      mask: [num_samples, *event_shape] (or broadcastable) 1 where
        `conditioned_on` is given; needed with `conditioned_on`. It must be
        the same for all values of one element (e.g. all channels of a pixel
        under a coupled head). Completion is exact when the given positions
        all come before the free ones in `sampling_order()`; a free position
        drawn earlier cannot see given values that come after it (a warning
        says so).
      cached: use the model's cached step (RNN state, KV cache, conv queues)
        where it has one; False reruns the whole network for every element
        (the same samples, for comparison).
      top_k, top_p: the next-token rules of a Categorical head
        (`sampling.filter_logits`): keep the k likeliest values (0 = all) and
        the smallest set holding probability top_p (1 = all).
    Returns:
      float32 [num_samples, *event_shape].
    """
    return super().sample(num_samples, condition=condition, temperature=temperature, seed=seed,
                          conditioned_on=conditioned_on, mask=mask, cached=cached, top_k=top_k,
                          top_p=top_p)

  def noise_shapes(self):
    """{"uniform": [num_positions, noise_size]}: the head's noise for the element at each
    position (flat positions, whatever the sampling order)."""
    return {"uniform": (self.num_positions, self.head.noise_size(int(self.params_shape[-1])))}

  def _sample(self, num_samples, condition, temperature, seed, conditioned_on=None, mask=None,
              cached=True, top_k=0, top_p=1.0, noise=None):
    top_k, top_p = self.check_filters(top_k, top_p)
    shape = (num_samples,) + self.event_shape
    if conditioned_on is None:
      if mask is not None:
        raise ValueError("mask is given without conditioned_on")
      values = tf.zeros(shape, tf.float32)
      mask = tf.zeros(shape, tf.float32)
    else:
      if mask is None:
        raise ValueError("conditioned_on needs a mask: 1 where the value is given, 0 where to sample")
      values = tf.convert_to_tensor(conditioned_on, tf.float32)
      if tuple(values.shape) != shape:
        raise ValueError(f"conditioned_on must have shape {shape}, got {tuple(values.shape)}")
      mask = tf.convert_to_tensor(mask)
      try:
        mask = tf.broadcast_to(tf.cast(mask, tf.float32), shape)
      except (ValueError, tf.errors.InvalidArgumentError) as error:
        raise ValueError(f"mask of shape {tuple(mask.shape)} does not broadcast to {shape}") from error
      values = self.head.check_support(tf.where(mask > 0, values, 0.0))
      self._check_mask(mask.numpy())
    if condition is None:
      condition = tf.zeros([num_samples, 0])
    if not self.built:
      self(self._model_inputs(tf.zeros(shape, tf.float32), condition))
    return self._compiled_sampler(cached, top_k, top_p)(
        values, mask, tf.constant(temperature), seed, condition,
        None if noise is None else noise["uniform"])

  def _compiled_sampler(self, cached, top_k, top_p):
    """The sampling loop compiled once per (cached, top_k, top_p); XLA when jit_sampling."""
    key = (bool(cached), top_k, top_p)
    if key not in self._compiled_samplers:
      self._compiled_samplers[key] = tf.function(
          functools.partial(self._sample_loop, cached=key[0], top_k=top_k, top_p=top_p),
          jit_compile=self.jit_sampling)
    return self._compiled_samplers[key]

  def check_filters(self, top_k, top_p):
    """Validates the next-token rules for this model's head; returns (int top_k, float top_p)."""
    top_k, top_p = sampling.check_filters(top_k, top_p)
    if (top_k or top_p < 1.0) and not isinstance(self.head, heads_lib.Categorical):
      raise ValueError(f"top_k and top_p filter a Categorical head's logits; this "
                       f"{type(self).__name__} has a {type(self.head).__name__} head")
    return top_k, top_p

  def draw(self, params, seed, temperature, top_k=0, top_p=1.0, noise=None):
    """Elements drawn from head params [batch, P] under the next-token rules: [batch, *element].

    With top_k or top_p set (Categorical heads) the logits are filtered by
    `sampling.filter_logits` first, at the given temperature. `noise`
    (uniform, [batch, noise_size]) replaces the random draw.
    """
    if isinstance(self.head, heads_lib.Categorical):
      params = sampling.filter_logits(params, temperature, top_k, top_p)
      temperature = 1.0
    if noise is not None:
      return self.head.sample_from_noise(params, noise, temperature)
    return self.head.sample(params, seed, temperature)

  def _model_inputs(self, values, condition):
    """What `call` takes: values, or (values, one-hot condition) for a conditional model."""
    return (values, condition) if self.num_conditions else values

  def _check_mask(self, mask):
    per_element = mask.reshape(mask.shape[0], self.num_positions, self.element_size)
    if np.any(per_element.min(axis=-1) != per_element.max(axis=-1)):
      raise ValueError(f"mask must be the same for the {self.element_size} values of each element "
                       f"(a {type(self.head).__name__} head draws them together)")
    given = per_element[..., 0] > 0                                   # [batch, N]
    ordered = given[:, self.sampling_order().numpy()]
    # A free position followed later by a given one cannot condition on it.
    free_before_given = np.any(np.logical_and(
        ~ordered, np.flip(np.logical_or.accumulate(np.flip(ordered, 1), axis=1), 1)), axis=1)
    if np.any(free_before_given):
      warnings.warn("some free positions come before given ones in the sampling order; they are "
                    "drawn without seeing those given values", stacklevel=5)

  def _initial_sample_state(self, values, condition):
    """State carried through sampling (none by default)."""
    del values, condition
    return ()

  def _sample_step(self, values, step, position, state, condition):
    """Params [batch, P] of the element at `position` (the step-th drawn) given `values`.

    `condition` is one-hot [batch, num_conditions] (no columns when unconditional).
    The default reruns the whole network; cached models override it.
    """
    params = tf.reshape(self(self._model_inputs(values, condition), training=False),
                        [tf.shape(values)[0], self.num_positions, self.params_shape[-1]])
    return tf.gather(params, position, axis=1), state

  def _sample_loop(self, values, mask, temperature, seed, condition, noise, cached, top_k, top_p):
    batch = tf.shape(values)[0]
    order = self.sampling_order()
    flat_values = tf.reshape(values, [batch, self.num_positions, self.element_size])
    flat_mask = tf.reshape(mask, [batch, self.num_positions, self.element_size])
    if cached:
      initial_state, sample_step = self._initial_sample_state, self._sample_step
    else:
      initial_state = AutoregressiveModel._initial_sample_state.__get__(self)
      sample_step = AutoregressiveModel._sample_step.__get__(self)
    state = initial_state(values, condition)

    def draw(flat_values, state, step, position):
      current = tf.reshape(flat_values, tf.shape(values))
      params, state = sample_step(current, step, position, state, condition)
      step_seed = None if seed is None else tf.random.experimental.stateless_fold_in(seed, step)
      step_noise = None if noise is None else tf.gather(noise, position, axis=1)[:, tf.newaxis, :]
      drawn = self.draw(params[:, tf.newaxis, :], step_seed, temperature, top_k, top_p, step_noise)
      drawn = tf.reshape(drawn, [batch, 1, self.element_size])
      free = (1.0 - flat_mask) * tf.one_hot(position, self.num_positions)[tf.newaxis, :, tf.newaxis]
      return flat_values * (1.0 - free) + drawn * free, state

    for step in tf.range(self.num_positions):
      position = order[step]
      if self._stateless_sampling or not cached:
        needed = tf.reduce_any(tf.gather(flat_mask, position, axis=1) < 0.5)
        flat_values, state = tf.cond(
            needed, lambda: draw(flat_values, state, step, position), lambda: (flat_values, state))
      else:
        flat_values, state = draw(flat_values, state, step, position)
    return tf.reshape(flat_values, tf.shape(values))

  # ---- serving -------------------------------------------------------------

  def _serve_sample(self, num_samples, condition, seed, noise=None):
    """The compiled loop of `sample` (or `sample_from_noise`) for a tensor count, so a seed
    gives the same samples in a SavedModel as in Python: [num_samples, *event_shape]."""
    shape = tf.concat([[num_samples], tf.constant(self.event_shape, tf.int32)], axis=0)
    if condition is None:
      condition = tf.zeros([num_samples, 0])
    return self._compiled_sampler(True, 0, 1.0)(
        tf.zeros(shape), tf.zeros(shape), tf.constant(1.0), seed, condition,
        None if noise is None else noise["uniform"])

  # ---- config ------------------------------------------------------------

  def get_config(self):
    config = super().get_config()
    config.update(event_shape=list(self.event_shape),
                  head=keras.saving.serialize_keras_object(self.head),
                  input_encoding=self.input_encoding)
    return config
