"""Shared pieces of the left-to-right sequence models (char-RNN, transformer LM, WaveNet)."""

import keras
import numpy as np
import tensorflow as tf

from tfgen import heads as heads_lib

from tfgen.heads import sampling
from tfgen.models.autoregressive.autoregressive_model import AutoregressiveModel


class SequenceModel(AutoregressiveModel):
  """p(x) = prod_t p(x_t | x_<t) over a sequence [batch, time] (or [batch, time, channels]).

  Inputs are the encoded values (one-hot tokens, or scaled samples), embedded by
  a linear map and shifted right by one step behind a learned start vector, so
  the network's output at t has seen x_<t only. Subclasses implement
  `_network(embedded, training)` and, for cached generation,
  `_initial_network_state` and `_network_step`.

  With `num_conditions` > 0 the model is p(x | c) for a class label c (a
  speaker, a style): a learned vector for c is added to every step's embedded
  input (and WaveNet also adds one to each gated layer), so inputs are
  (x, labels) and `sample` takes `condition=`.

  Args:
    event_shape: (time,) or (time, channels).
    head: `tfgen.heads.Head` for one step's values.
    embedding_size: size of the embedded input.
    num_conditions: classes of the global condition; 0 = unconditional.
  """

  _stateless_sampling = False

  def __init__(self, event_shape, head, embedding_size=64, num_conditions=0,
               output_initializer="glorot_uniform", **kwargs):
    # output_initializer: the kernel initializer of the output layer, for subclasses
    # that derive it from their own arguments (not part of the config).
    super().__init__(event_shape, head, **kwargs)
    if int(embedding_size) < 1:
      raise ValueError(f"embedding_size must be >= 1, got {embedding_size}")
    if int(num_conditions) < 0:
      raise ValueError(f"num_conditions must be >= 0, got {num_conditions}")
    self.embedding_size = int(embedding_size)
    self.num_conditions = int(num_conditions)
    self.embedding = keras.layers.Dense(self.embedding_size, use_bias=False, name="embedding")
    self.condition_embedding = (
        keras.layers.Dense(self.embedding_size, use_bias=False, name="condition_embedding")
        if self.num_conditions else None)
    self.output_layer = keras.layers.Dense(self.params_shape[-1],
                                           kernel_initializer=output_initializer, name="params")
    self._compiled_step = None

  def build_sequence_layers(self):
    """Builds the embedding, the start vector and the output layer (call from `build`)."""
    self.embedding.build((None, None, self.input_features))
    if self.condition_embedding is not None:
      self.condition_embedding.build((None, self.num_conditions))
    self.start = self.add_weight(name="start", shape=(self.embedding_size,),
                                 initializer=keras.initializers.RandomNormal(stddev=0.02))

  def embed(self, inputs, condition=None):
    """x [batch, *event_shape] -> shifted embedded inputs [batch, time, embedding_size]."""
    embedded = self.embedding(self.encode_inputs(inputs))
    start = tf.broadcast_to(self.start, [tf.shape(embedded)[0], 1, self.embedding_size])
    embedded = tf.concat([start, embedded[:, :-1]], axis=1)
    if condition is not None:
      embedded = embedded + self.condition_embedding(condition)[:, tf.newaxis, :]
    return embedded

  def call(self, inputs, training=None):
    x, condition = self.split_inputs(inputs)
    self.check_event_shape(x)
    hidden = self._network(self.embed(x, condition), training, condition)
    return tf.reshape(self.output_layer(hidden), (-1,) + self.params_shape)

  # Longest context the network can attend to; None for recurrent models.
  context_length = None

  def start_state(self, batch_size):
    """State before the first token of a sequence (RNN state, empty KV caches, ...)."""
    return self._initial_network_state(batch_size)

  def next_params(self, previous, position, state, condition=None):
    """Head params [batch, P] for the token at `position`, and the state after it.

    Args:
      previous: [batch] ids (or [batch, channels] values) at position - 1;
        ignored at position 0, which reads the start vector.
      position: scalar int32 tensor, the place of the token to predict; below
        `context_length` where the model has one.
      state: from `start_state` or the previous call.
      condition: one-hot [batch, num_conditions] for a conditional model
        (`encode_condition(labels)`), else None.
    """
    previous = tf.reshape(tf.cast(previous, tf.float32), [-1, self.element_size])
    embedded = tf.where(position > 0, self.embedding(self.encode_elements(previous)),
                        self.start[tf.newaxis, :])
    if self.num_conditions:
      if condition is None:
        raise ValueError(f"this {type(self).__name__} is conditional: pass a one-hot condition")
      embedded = embedded + self.condition_embedding(condition)
    else:
      condition = None
    hidden, state = self._network_step(embedded, position, state, condition)
    return self.output_layer(hidden), state

  def stream(self, prompt=(), num_tokens=1, *, temperature=1.0, top_k=0, top_p=1.0, seed=None,
             condition=None):
    """An iterator over `num_tokens` token ids after `prompt`, drawn one at a time from the cached step.

      x_t ~ p(x_t | x_<t, c) under the next-token rules (`AutoregressiveModel.draw`)

    Unlike `sample`, whose length is the model's event and which runs as one
    compiled loop, a stream runs eagerly for as long as asked: past
    `context_length` (a transformer's) it restarts the cache on the last half of
    the text. Token t is drawn with the stateless seed [s0, s1 + t] for seed
    [s0, s1] (an int s gives [s mod 2^31, t]), so a seeded stream repeats, but it
    draws other tokens than `sample` with the same seed (except greedily, top_k=1).
    The arguments are checked when `stream` is called, before any token is drawn.

    Args:
      prompt: token ids to continue (any length; may be empty).
      num_tokens: tokens to draw, >= 1.
      temperature, top_k, top_p, seed: as for `sample`.
      condition: one label, for a conditional model.
    Returns:
      an iterator of int token ids.
    """
    if self.element_size != 1:
      raise ValueError(f"stream draws token ids; this {type(self).__name__} has elements of "
                       f"{self.element_size} values")
    num_tokens, temperature = self.check_sample_arguments(num_tokens, temperature,
                                                          count_name="num_tokens")
    if condition is not None and np.ndim(condition) != 0:
      raise ValueError(f"a stream is one sequence: condition must be one label, got shape "
                       f"{np.shape(condition)}")
    condition = self.encode_condition(None if condition is None else [condition])
    top_k, top_p = self.check_filters(top_k, top_p)
    tokens = [int(token) for token in prompt]
    return self._stream(tokens, num_tokens, temperature, top_k, top_p, sampling.as_seed(seed),
                        condition)

  def _stream(self, tokens, num_tokens, temperature, top_k, top_p, seed, condition):
    if self._compiled_step is None:
      self._compiled_step = tf.function(self.next_params)
    context = self.context_length

    def feed(history):
      """Runs the cached step over `history` from a fresh state: (params, state, position)."""
      state, params = self.start_state(1), None
      previous = tf.zeros([1], tf.float32)
      for position in range(len(history) + 1):
        params, state = self._compiled_step(previous, tf.constant(position), state, condition)
        if position < len(history):
          previous = tf.constant([float(history[position])])
      return params, state, len(history)

    params, state, position = feed(tokens[-(context - 1):] if context else tokens)
    for index in range(num_tokens):
      step_seed = None if seed is None else seed + tf.constant([0, index], tf.int32)
      token = int(self.draw(params, step_seed, temperature, top_k, top_p).numpy()[0])
      tokens.append(token)
      yield token
      position += 1
      if context and position >= context:
        params, state, position = feed(tokens[-(context // 2):])
      else:
        params, state = self._compiled_step(tf.constant([float(token)]), tf.constant(position),
                                            state, condition)

  # A recurrent network's whole-sequence pass (a Keras RNN layer) becomes TensorList ops,
  # which are not TFLite builtins: its TFLite `log_prob` runs the cached step instead.
  serves_log_prob_by_steps = False

  def log_prob_by_steps(self, x, condition=None):
    """log p(x) by the cached step over the positions: [batch] nats.

      log p(x) = sum_t log p(x_t | state_t),  state_{t+1} = step(x_t, state_t)

    Equal to `log_prob` (teacher forcing); inside a tf.function the loop is
    one graph loop with no TensorArray, which converts to TFLite builtins.

    Args:
      x: [batch, *event_shape].
      condition: one-hot [batch, num_conditions] or None.
    """
    x = tf.convert_to_tensor(x, tf.float32)
    batch = tf.shape(x)[0]
    flat = tf.reshape(x, [batch, self.num_positions, self.element_size])
    grid_ndims = len(self.head.grid_shape(self.event_shape))
    element_shape = tf.constant(self.event_shape[grid_ndims:], tf.int32)
    state = self.start_state(batch)
    total = tf.zeros([batch])
    previous = tf.zeros([batch, self.element_size])
    for position in tf.range(self.num_positions):
      params, state = self.next_params(previous, position, state, condition)
      current = tf.gather(flat, position, axis=1)                               # [batch, E]
      element = tf.reshape(current, tf.concat([[batch, 1], element_shape], axis=0))
      total += self.head.log_prob(element, tf.expand_dims(params, 1))
      previous = current
    return total

  def _float_serving_function(self, name, seeded=True):
    built = super()._float_serving_function(name, seeded)
    if name != "log_prob" or seeded or not self.serves_log_prob_by_steps:
      return built
    _, specs = built

    def log_prob(**inputs):
      condition = self.encode_condition(inputs["condition"]) if "condition" in inputs else None
      return {"log_prob": self.log_prob_by_steps(inputs["x"], condition)}

    return log_prob, specs

  def serving_signatures(self, seeded=True, keys=None):
    """`AutoregressiveModel`'s, and the cached step, so a client can run the loop itself:

      initial_state(batch_size int32 []) -> {"state_0", "state_1", ...}
      step(previous [batch, element] float32, position int32 [], state_0, ...
           (, condition [batch] int32)) -> {"params", "mean", "state_0", ...}

    The state is the flattened `start_state` (RNN states, caches), explicit
    tensors with no variables; "mean" is the head's mean of the next element
    (what a mean rollout feeds back).
    """
    signatures = super().serving_signatures(seeded, keys)
    template = self.start_state(1)
    leaves = tf.nest.flatten(template)
    state_specs = {f"state_{index}": tf.TensorSpec((None,) + tuple(leaf.shape[1:]), leaf.dtype,
                                                   name=f"state_{index}")
                   for index, leaf in enumerate(leaves)}

    def named(state):
      return {f"state_{index}": leaf for index, leaf in enumerate(tf.nest.flatten(state))}

    initial_state = tf.function(lambda batch_size: named(self.start_state(batch_size)))

    @tf.function
    def step(previous, position, condition=None, **flat_state):
      state = tf.nest.pack_sequence_as(template, [flat_state[f"state_{index}"]
                                                  for index in range(len(leaves))])
      one_hot = None if condition is None else self.encode_condition(condition)
      params, state = self.next_params(previous, position, state, one_hot)
      return {"params": params, "mean": self.head.mean(params), **named(state)}

    step_specs = dict(previous=tf.TensorSpec([None, self.element_size], tf.float32,
                                             name="previous"),
                      position=tf.TensorSpec([], tf.int32, name="position"), **state_specs)
    if self.num_conditions:
      step_specs["condition"] = tf.TensorSpec([None], tf.int32, name="condition")
    wanted = lambda name: keys is None or name in keys
    if (self.element_size == 1 and isinstance(self.head, heads_lib.Categorical)
        and wanted("generate")):
      signatures["generate"] = self._generate_signature(seeded)
    if wanted("initial_state"):
      signatures["initial_state"] = initial_state.get_concrete_function(
          batch_size=tf.TensorSpec([], tf.int32, name="batch_size"))
    if wanted("step"):
      signatures["step"] = step.get_concrete_function(**step_specs)
    return signatures

  def _generate_signature(self, seeded):
    """generate(prompt_ids [batch, prompt_length] int32, length int32 [], temperature float32 []
    (, seed int32 [2]) (, condition [batch] int32)) -> {"ids": [batch, prompt_length + length]}.

    The prompt, then `length` tokens drawn by the cached step in one graph loop;
    token t after the prompt is drawn with the seed [s0, s1 + t], as `stream`
    draws it, so a seeded batch of one equals `stream(prompt, length, seed=...)`.
    prompt_length + length must fit the context of a model that has one.
    """

    def generate(prompt_ids, length, temperature, seed=None, condition=None):
      batch, prompt_length = tf.shape(prompt_ids)[0], tf.shape(prompt_ids)[1]
      total = prompt_length + length
      if self.context_length:
        check = tf.debugging.assert_less_equal(total, self.context_length, message=(
            f"prompt_length + length must be at most the context, {self.context_length}"))
        with tf.control_dependencies([check]):
          total = tf.identity(total)
      one_hot = None if condition is None else self.encode_condition(condition)
      padded = tf.concat([prompt_ids, tf.zeros([batch, 1], tf.int32)], axis=1)
      state = self.start_state(batch)
      previous = tf.zeros([batch, 1])
      ids = tf.zeros([batch, 0], tf.int32)
      for position in tf.range(total):
        tf.autograph.experimental.set_loop_options(
            shape_invariants=[(ids, tf.TensorShape([None, None]))])
        params, state = self.next_params(previous, position, state, one_hot)
        index = position - prompt_length
        step_seed = None if seed is None else seed + tf.stack([0, tf.maximum(index, 0)])
        drawn = tf.cast(tf.reshape(self.draw(params, step_seed, temperature), [batch]), tf.int32)
        given = tf.gather(padded, tf.minimum(position, prompt_length), axis=1)
        token = tf.where(index < 0, given, drawn)
        ids = tf.concat([ids, tf.expand_dims(token, 1)], axis=1)
        previous = tf.cast(tf.expand_dims(token, 1), tf.float32)
      return {"ids": ids}

    specs = dict(prompt_ids=tf.TensorSpec([None, None], tf.int32, name="prompt_ids"),
                 length=tf.TensorSpec([], tf.int32, name="length"),
                 temperature=tf.TensorSpec([], tf.float32, name="temperature"))
    if seeded:
      specs["seed"] = tf.TensorSpec([2], tf.int32, name="seed")
    if self.num_conditions:
      specs["condition"] = tf.TensorSpec([None], tf.int32, name="condition")
    return tf.function(generate).get_concrete_function(**specs)

  def _initial_sample_state(self, values, condition):
    del condition
    return self._initial_network_state(tf.shape(values)[0])

  def _sample_step(self, values, step, position, state, condition):
    del position  # Sequences are generated left to right: position == step.
    flat = tf.reshape(values, [tf.shape(values)[0], self.num_positions, self.element_size])
    return self.next_params(tf.gather(flat, tf.maximum(step - 1, 0), axis=1), step, state,
                            condition)

  def _network(self, embedded, training, condition):
    """Hidden features [batch, time, features]; `condition` is one-hot or None."""
    raise NotImplementedError

  def _initial_network_state(self, batch_size):
    raise NotImplementedError

  def _network_step(self, embedded, step, state, condition):
    raise NotImplementedError

  def get_config(self):
    config = super().get_config()
    config.update(embedding_size=self.embedding_size, num_conditions=self.num_conditions)
    return config
