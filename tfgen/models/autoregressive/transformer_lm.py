"""A small GPT-style transformer language model with cached incremental decoding."""

import keras
import tensorflow as tf

from tfgen.layers.philox_dropout import PhiloxDropout
from tfgen.layers.transformer_block import TransformerBlock
from tfgen.models.autoregressive.sequence_model import SequenceModel


@keras.saving.register_keras_serializable(package="tfgen")
class TransformerLM(SequenceModel):
  """Token and position embeddings, pre-LayerNorm blocks of masked attention, a head per step.

    h^0_t = E x_{t-1} + P_t,   h^l = Block_l(h^{l-1}),   p(x_t | x_<t) = head(W LN(h^L_t))

  with x_{-1} a learned start vector. Sampling keeps each block's keys and
  values (a KV cache), so a new token costs one row of attention per layer.

  Args:
    event_shape: (context length,).
    head: usually `tfgen.heads.Categorical(vocabulary_size)`.
    width: model width (also the embedding size).
    num_layers: transformer blocks.
    num_heads: attention heads per block (width must divide evenly).
    dropout: dropout in training.

  Example:
    model = TransformerLM((64,), tfgen.heads.Categorical(65), width=128, num_layers=4, num_heads=4)

  References: Vaswani et al. 2017; Radford et al. 2019; Karpathy, nanoGPT.
  """

  def __init__(self, event_shape, head, width=128, num_layers=4, num_heads=4, dropout=0.0,
               **kwargs):
    kwargs.pop("embedding_size", None)
    super().__init__(event_shape, head, embedding_size=width, **kwargs)
    if int(width) % int(num_heads):
      raise ValueError(f"width {width} must be a multiple of num_heads {num_heads}")
    self.width = int(width)
    self.num_layers = int(num_layers)
    self.num_heads = int(num_heads)
    self.dropout = float(dropout)
    self.context_length = self.event_shape[0]  # Positions the embeddings and caches cover.
    self.blocks = [TransformerBlock(self.num_heads, self.width // self.num_heads,
                                    dropout=self.dropout, name=f"block_{index}")
                   for index in range(self.num_layers)]
    self.final_norm = keras.layers.LayerNormalization(epsilon=1e-5, name="final_norm")
    self.embedding_dropout = PhiloxDropout(self.dropout)

  def build(self, input_shape=None):
    self.build_sequence_layers()
    self.positions = self.add_weight(name="positions", shape=(self.context_length, self.width),
                                     initializer=keras.initializers.RandomNormal(stddev=0.02))
    for block in self.blocks:
      block.build((None, None, self.width))
    self.final_norm.build((None, None, self.width))
    self.output_layer.build((None, None, self.width))
    self.built = True

  def _network(self, embedded, training, condition):
    del condition  # Already added to the embedded inputs.
    length = tf.shape(embedded)[1]
    hidden = self.embedding_dropout(embedded + self.positions[:length], training=training)
    for block in self.blocks:
      hidden = block(hidden, training=training)
    return self.final_norm(hidden)

  def _initial_network_state(self, batch_size):
    return tuple(block.initial_cache(batch_size, self.context_length) for block in self.blocks)

  def _network_step(self, embedded, step, state, condition):
    del condition
    hidden = embedded + tf.gather(self.positions, step)
    caches = []
    for block, cache in zip(self.blocks, state):
      hidden, cache = block.step(hidden, cache, step)
      caches.append(cache)
    return self.final_norm(hidden), tuple(caches)

  def get_config(self):
    config = super().get_config()
    config.pop("embedding_size")
    config.update(width=self.width, num_layers=self.num_layers, num_heads=self.num_heads,
                  dropout=self.dropout)
    return config
