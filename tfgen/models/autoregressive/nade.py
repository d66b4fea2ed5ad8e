"""NADE: the neural autoregressive distribution estimator, with tied input weights."""

import keras
import numpy as np
import tensorflow as tf

from tfgen.models.autoregressive import orderings
from tfgen.models.autoregressive.autoregressive_model import AutoregressiveModel


def exclusive_cumsum(values, block_size=28):
  """out[..., n] = sum_{m<n} values[..., m], by blocks.

  `tf.cumsum` is a slow scan on CPU (about 15x an elementwise op at NADE's
  sizes). Here sums inside blocks of `block_size` are one small triangular
  matmul over the last (contiguous) axis, and only the per-block totals are
  scanned.
  """
  length = values.shape[-1]
  num_blocks = -(-length // block_size)
  padding = num_blocks * block_size - length
  if padding:
    values = tf.pad(values, [[0, 0]] * (values.shape.rank - 1) + [[0, padding]])
  blocked_shape = tf.concat([tf.shape(values)[:-1], [num_blocks, block_size]], axis=0)
  strictly_upper = tf.constant(np.triu(np.ones((block_size, block_size), np.float32), 1))
  within = tf.reshape(tf.matmul(tf.reshape(values, [-1, block_size]), strictly_upper), blocked_shape)
  totals = tf.reduce_sum(tf.reshape(values, blocked_shape), axis=-1)
  offsets = tf.cumsum(totals, axis=-1, exclusive=True)
  summed = tf.reshape(within + offsets[..., tf.newaxis],
                      tf.concat([tf.shape(values)[:-1], [num_blocks * block_size]], axis=0))
  return summed[..., :length]


@keras.saving.register_keras_serializable(package="tfgen")
class NADE(AutoregressiveModel):
  """Every conditional reads one hidden layer whose input weights are shared.

    a_1 = c,   a_{t+1} = a_t + W[o_t] e(x_{o_t}),   h_t = act(a_t)
    params_{o_t} = V[o_t] h_t + b[o_t],   p(x) = prod_t p_head(x_{o_t} | params_{o_t})

  where o is the ordering and e(x) the input encoding (the value, or one-hot
  for Categorical heads). `log_prob` is one vectorised O(N H) pass: the a_t
  are an exclusive cumulative sum over the ordered positions (`exclusive_cumsum`). Sampling carries
  a_t, so each new value costs O(H P), not a network pass.

  Heads: Bernoulli (binary NADE), Categorical (softmax over K values), and
  GaussianMixture (RNADE: means, log-scales and weights from h_t).

  Args:
    event_shape: shape of one example.
    head: `tfgen.heads.Head`.
    hidden_units: H.
    ordering: "natural", "reverse" or "random" (from `seed`).
    activation: "sigmoid" (the paper) or any Keras activation.
    seed: seeds a random ordering.

  Example:
    model = NADE((28, 28, 1), tfgen.heads.Bernoulli(), hidden_units=500)
    model.log_prob(x)         # [batch], one pass

  References: Larochelle & Murray, "The Neural Autoregressive Distribution
  Estimator", AISTATS 2011; Uria, Murray, Larochelle, "RNADE", NeurIPS 2013.
  """

  _stateless_sampling = False

  def __init__(self, event_shape, head, hidden_units=500, ordering="natural", activation="sigmoid",
               seed=0, **kwargs):
    super().__init__(event_shape, head, **kwargs)
    if int(hidden_units) < 1:
      raise ValueError(f"NADE needs hidden_units >= 1, got {hidden_units}")
    if ordering not in orderings.ORDERINGS:
      raise ValueError(f"ordering must be one of {', '.join(orderings.ORDERINGS)}, got {ordering!r}")
    self.hidden_units = int(hidden_units)
    self.ordering = ordering
    self.activation = activation
    self._activation = keras.activations.get(activation)
    self.seed = int(seed)

  def build(self, input_shape=None):
    num_positions, num_params = self.num_positions, self.params_shape[-1]
    self.input_weights = self.add_weight(
        name="input_weights", shape=(num_positions, self.input_features, self.hidden_units),
        initializer=keras.initializers.RandomNormal(stddev=0.01))
    self.hidden_bias = self.add_weight(name="hidden_bias", shape=(self.hidden_units,),
                                       initializer="zeros")
    self.output_weights = self.add_weight(
        name="output_weights", shape=(num_positions, self.hidden_units, num_params),
        initializer=keras.initializers.RandomNormal(stddev=1.0 / np.sqrt(self.hidden_units)))
    self.output_bias = self.add_weight(name="output_bias", shape=(num_positions, num_params),
                                       initializer="zeros")
    self.build_ordering(orderings.position_degrees(self.ordering, num_positions,
                                                   np.random.default_rng(self.seed)))
    self.built = True

  def call(self, inputs):
    self.check_event_shape(inputs)
    order = self.sampling_order()
    features = tf.gather(self.encode_inputs(inputs), order, axis=1)          # [B, N, F]
    input_weights = tf.gather(self.input_weights, order)                      # [N, F, H]
    output_weights = tf.gather(self.output_weights, order)                    # [N, H, P]
    # Layout [B, H, N]: the prefix sum runs over the last, contiguous axis.
    if self.input_features == 1:
      contributions = features[:, tf.newaxis, :, 0] * tf.transpose(input_weights[:, 0, :])
    else:
      contributions = tf.einsum("bnf,nfh->bhn", features, input_weights)
    hidden = self._activation(self.hidden_bias[:, tf.newaxis] + exclusive_cumsum(contributions))
    if self.params_shape[-1] == 1:
      params = tf.reduce_sum(hidden * tf.transpose(output_weights[..., 0]), axis=1)[..., tf.newaxis]
    else:
      params = tf.einsum("bhn,nhp->bnp", hidden, output_weights)
    params = params + tf.gather(self.output_bias, order)
    # Back from generation order to grid positions.
    params = tf.gather(params, tf.math.invert_permutation(order), axis=1)
    return tf.reshape(params, (-1,) + self.params_shape)

  def _initial_sample_state(self, values, condition):
    del condition
    return tf.broadcast_to(self.hidden_bias, [tf.shape(values)[0], self.hidden_units])

  def _sample_step(self, values, step, position, state, condition):
    del condition
    # Add the previous position's (already drawn or given) value to a_t.
    previous = self.sampling_order()[tf.maximum(step - 1, 0)]
    features = tf.gather(self.encode_inputs(values), previous, axis=1)        # [B, F]
    added = tf.matmul(features, tf.gather(self.input_weights, previous))
    state = state + tf.cast(step > 0, tf.float32) * added
    params = (tf.matmul(self._activation(state), tf.gather(self.output_weights, position))
              + tf.gather(self.output_bias, position))
    return params, state

  def get_config(self):
    config = super().get_config()
    config.update(hidden_units=self.hidden_units, ordering=self.ordering,
                  activation=self.activation, seed=self.seed)
    return config
