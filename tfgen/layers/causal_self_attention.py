"""Masked (causal) multi-head self-attention with a key/value cache for incremental decoding."""

import math

import keras
import tensorflow as tf

from tfgen.layers.philox_dropout import PhiloxDropout
from tfgen.utils import checks


@keras.saving.register_keras_serializable(package="tfgen")
class CausalSelfAttention(keras.layers.Layer):
  """Multi-head self-attention in which position t attends only to positions <= t.

    q, k, v = x W_q, x W_k, x W_v   (split into heads of size d)
    a_ts = softmax_s<=t (q_t . k_s / sqrt(d)),   y_t = W_o concat_heads(sum_s a_ts v_s)

  `step` decodes one position from a cache of the keys and values of the
  earlier ones, so generating T tokens costs O(T) attention rows, not O(T^2)
  recomputation; the cache is updated with one-hot arithmetic (no scatter), which
  keeps it convertible to TFLite builtins.

  Args:
    num_heads: attention heads.
    head_size: d, the size of each head's queries, keys and values.
    dropout: attention-weight dropout in training.

  Shapes: [batch, time, features] -> [batch, time, features].

  Example:
    attention = CausalSelfAttention(num_heads=4, head_size=16)
    y = attention(x)                                         # [B, T, D]
    cache = attention.initial_cache(batch_size=B, max_length=T)
    y_0, cache = attention.step(x[:, 0], cache, position=0)  # equals y[:, 0]

  Reference: Vaswani et al., "Attention Is All You Need", 2017.
  """

  def __init__(self, num_heads, head_size, dropout=0.0, **kwargs):
    super().__init__(**kwargs)
    if int(num_heads) < 1 or int(head_size) < 1:
      raise ValueError(f"num_heads and head_size must be >= 1, got {num_heads}, {head_size}")
    self.num_heads = int(num_heads)
    self.head_size = int(head_size)
    self.dropout = checks.rate("dropout", dropout)
    self.query_key_value = keras.layers.Dense(3 * self.num_heads * self.head_size, name="qkv")
    self.attention_dropout = PhiloxDropout(self.dropout)
    self.output_projection = None

  def build(self, input_shape):
    features = int(input_shape[-1])
    self.query_key_value.build(input_shape)
    self.output_projection = keras.layers.Dense(features, name="output")
    self.output_projection.build(tuple(input_shape[:-1]) + (self.num_heads * self.head_size,))

  def _split_heads(self, inputs):
    """[B, T, 3 H d] -> three [B, H, T, d]."""
    batch, length = tf.shape(inputs)[0], tf.shape(inputs)[1]
    heads = tf.reshape(inputs, [batch, length, 3, self.num_heads, self.head_size])
    heads = tf.transpose(heads, [2, 0, 3, 1, 4])
    return heads[0], heads[1], heads[2]

  def _merge_heads(self, values):
    """[B, H, T, d] -> [B, T, H d]."""
    batch, length = tf.shape(values)[0], tf.shape(values)[2]
    return tf.reshape(tf.transpose(values, [0, 2, 1, 3]),
                      [batch, length, self.num_heads * self.head_size])

  def call(self, inputs, training=None):
    if inputs.shape.rank != 3:
      raise ValueError(f"CausalSelfAttention expects [batch, time, features], got {inputs.shape}")
    queries, keys, values = self._split_heads(self.query_key_value(inputs))
    scores = tf.matmul(queries, keys, transpose_b=True) / math.sqrt(self.head_size)
    length = tf.shape(inputs)[1]
    causal = tf.linalg.band_part(tf.ones([length, length], tf.bool), -1, 0)
    scores = tf.where(causal, scores, tf.cast(-1e9, scores.dtype))
    weights = self.attention_dropout(tf.nn.softmax(scores, axis=-1), training=training)
    return self.output_projection(self._merge_heads(tf.matmul(weights, values)))

  def initial_cache(self, batch_size, max_length):
    """Empty (keys, values), each [batch, heads, max_length, head_size]."""
    shape = [batch_size, self.num_heads, max_length, self.head_size]
    return tf.zeros(shape), tf.zeros(shape)

  def step(self, inputs, cache, position):
    """Output for one position from its input [batch, features] and the cache.

    Args:
      inputs: [batch, features], the input at `position`.
      cache: (keys, values) holding positions < `position`.
      position: scalar int, where this input stands (< max_length).
    Returns:
      ([batch, features], updated cache).
    """
    keys, values = cache
    max_length = keys.shape[2] if keys.shape[2] is not None else tf.shape(keys)[2]
    query, key, value = self._split_heads(self.query_key_value(inputs[:, tf.newaxis, :]))
    slot = tf.one_hot(position, max_length)[tf.newaxis, tf.newaxis, :, tf.newaxis]
    keys = keys * (1.0 - slot) + key * slot
    values = values * (1.0 - slot) + value * slot
    scores = tf.matmul(query, keys, transpose_b=True) / math.sqrt(self.head_size)  # [B, H, 1, L]
    visible = tf.range(max_length) <= position
    scores = tf.where(visible, scores, tf.cast(-1e9, scores.dtype))
    attended = tf.matmul(tf.nn.softmax(scores, axis=-1), values)                 # [B, H, 1, d]
    return self.output_projection(self._merge_heads(attended))[:, 0], (keys, values)

  def get_config(self):
    config = super().get_config()
    config.update(num_heads=self.num_heads, head_size=self.head_size, dropout=self.dropout)
    return config
