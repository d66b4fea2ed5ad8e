"""char-RNN: stacked GRU or LSTM over characters, a Categorical head per step."""

import keras
import tensorflow as tf

from tfgen.layers.philox_dropout import PhiloxDropout
from tfgen.models.autoregressive.sequence_model import SequenceModel


@keras.saving.register_keras_serializable(package="tfgen")
class CharRNN(SequenceModel):
  """A recurrent language model.

    h_t = RNN(h_{t-1}, E x_{t-1}),   p(x_t | x_<t) = head(W h_t + b)

  with x_{-1} a learned start vector. `log_prob` runs the RNN over the whole
  sequence; sampling carries the RNN state, so each new character costs one
  cell step.

  Args:
    event_shape: (time,) for characters.
    head: usually `tfgen.heads.Categorical(vocabulary_size)`.
    embedding_size: size of the character embedding.
    hidden_units: units of each recurrent layer.
    num_layers: stacked layers.
    cell: "gru" or "lstm".
    dropout: dropout between layers in training.

  Example:
    model = CharRNN((64,), tfgen.heads.Categorical(65), hidden_units=256, num_layers=2)
    model.sample(4, seed=0)   # [4, 64] character ids

  Reference: Karpathy, "The Unreasonable Effectiveness of Recurrent Neural
  Networks", 2015 (char-rnn).
  """

  serves_log_prob_by_steps = True  # Its TFLite log_prob (Keras RNN layers are TensorLists).

  def __init__(self, event_shape, head, embedding_size=64, hidden_units=256, num_layers=2,
               cell="gru", dropout=0.0, **kwargs):
    super().__init__(event_shape, head, embedding_size=embedding_size, **kwargs)
    if cell not in ("gru", "lstm"):
      raise ValueError(f"cell must be 'gru' or 'lstm', got {cell!r}")
    if int(hidden_units) < 1 or int(num_layers) < 1:
      raise ValueError(f"hidden_units and num_layers must be >= 1, got {hidden_units}, {num_layers}")
    self.hidden_units = int(hidden_units)
    self.num_layers = int(num_layers)
    self.cell = cell
    self.dropout = float(dropout)
    layer_class = keras.layers.GRU if cell == "gru" else keras.layers.LSTM
    self.recurrent_layers = [layer_class(self.hidden_units, return_sequences=True,
                                         name=f"{cell}_{index}") for index in range(self.num_layers)]
    self.dropout_layer = PhiloxDropout(self.dropout)

  def build(self, input_shape=None):
    self.build_sequence_layers()
    size = self.embedding_size
    for layer in self.recurrent_layers:
      layer.build((None, None, size))
      size = self.hidden_units
    self.output_layer.build((None, None, self.hidden_units))
    self.built = True

  def _network(self, embedded, training, condition):
    del condition  # Already added to the embedded inputs.
    hidden = embedded
    for index, layer in enumerate(self.recurrent_layers):
      hidden = layer(hidden, training=training)
      if index < self.num_layers - 1:
        hidden = self.dropout_layer(hidden, training=training)
    return hidden

  def _initial_network_state(self, batch_size):
    zeros = tf.zeros([batch_size, self.hidden_units])
    per_layer = [zeros] if self.cell == "gru" else [zeros, zeros]
    return tuple(tuple(per_layer) for _ in range(self.num_layers))

  def _network_step(self, embedded, step, state, condition):
    del condition
    del step
    hidden = embedded
    new_state = []
    for layer, layer_state in zip(self.recurrent_layers, state):
      hidden, cell_state = layer.cell(hidden, list(layer_state))
      new_state.append(tuple(cell_state) if isinstance(cell_state, (list, tuple)) else (cell_state,))
    return hidden, tuple(new_state)

  def get_config(self):
    config = super().get_config()
    config.update(hidden_units=self.hidden_units, num_layers=self.num_layers, cell=self.cell,
                  dropout=self.dropout)
    return config
