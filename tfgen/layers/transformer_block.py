"""Pre-LayerNorm transformer block (GPT-2 style) with a cached single-step form."""

import keras

from tfgen.layers.causal_self_attention import CausalSelfAttention
from tfgen.layers.philox_dropout import PhiloxDropout


@keras.saving.register_keras_serializable(package="tfgen")
class TransformerBlock(keras.layers.Layer):
  """x + Attention(LN(x)), then + MLP(LN(.)), with causal attention.

    y = x + A(LN_1(x)),   z = y + W_2 gelu(W_1 LN_2(y))

  Args:
    num_heads: attention heads.
    head_size: size of each head.
    mlp_ratio: hidden size of the MLP over the model width.
    dropout: residual and attention dropout in training.

  Shapes: [batch, time, width] -> [batch, time, width]; `step`: [batch, width].

  Reference: Radford et al., "Language Models are Unsupervised Multitask
  Learners" (GPT-2), 2019; nanoGPT.
  """

  def __init__(self, num_heads, head_size, mlp_ratio=4, dropout=0.0, **kwargs):
    super().__init__(**kwargs)
    self.num_heads = int(num_heads)
    self.head_size = int(head_size)
    self.mlp_ratio = int(mlp_ratio)
    self.dropout = float(dropout)
    self.attention_norm = keras.layers.LayerNormalization(epsilon=1e-5, name="attention_norm")
    self.attention = CausalSelfAttention(self.num_heads, self.head_size, dropout=self.dropout,
                                         name="attention")
    self.mlp_norm = keras.layers.LayerNormalization(epsilon=1e-5, name="mlp_norm")
    self.residual_dropout = PhiloxDropout(self.dropout)
    self.mlp_in = None
    self.mlp_out = None

  def build(self, input_shape):
    width = int(input_shape[-1])
    self.attention_norm.build(input_shape)
    self.attention.build(input_shape)
    self.mlp_norm.build(input_shape)
    self.mlp_in = keras.layers.Dense(self.mlp_ratio * width, activation="gelu", name="mlp_in")
    self.mlp_in.build(input_shape)
    self.mlp_out = keras.layers.Dense(width, name="mlp_out")
    self.mlp_out.build(tuple(input_shape[:-1]) + (self.mlp_ratio * width,))

  def call(self, inputs, training=None):
    attended = self.attention(self.attention_norm(inputs), training=training)
    hidden = inputs + self.residual_dropout(attended, training=training)
    mlp = self.mlp_out(self.mlp_in(self.mlp_norm(hidden)))
    return hidden + self.residual_dropout(mlp, training=training)

  def initial_cache(self, batch_size, max_length):
    return self.attention.initial_cache(batch_size, max_length)

  def step(self, inputs, cache, position):
    """One position [batch, width] given the cache of earlier ones; returns (output, cache)."""
    attended, cache = self.attention.step(self.attention_norm(inputs), cache, position)
    hidden = inputs + attended
    return hidden + self.mlp_out(self.mlp_in(self.mlp_norm(hidden))), cache

  def get_config(self):
    config = super().get_config()
    config.update(num_heads=self.num_heads, head_size=self.head_size, mlp_ratio=self.mlp_ratio,
                  dropout=self.dropout)
    return config
