"""MADE: Masked Autoencoder for Distribution Estimation (Germain et al. 2015)."""

import keras
import numpy as np
import tensorflow as tf

from tfgen.layers.masked_dense import MaskedDense
from tfgen.models.autoregressive.autoregressive_model import AutoregressiveModel


@keras.saving.register_keras_serializable(package="tfgen")
class MADE(AutoregressiveModel):
  """An MLP whose masked weights make output d depend only on inputs earlier in an ordering.

    p(x) = prod_d p_head(x_d | params_d(x_{<d})),
    h_1 = act((W_1 * M_1) x + b_1), ..., params = (V * M_V) h_L + c  [+ (A * M_A) x]

  Each input position gets a degree m(d) in 1..N (its place in the ordering) and
  each hidden unit a degree m(k) in [min degree below, N-1]; hidden masks keep
  m(k) >= m(k'), output masks keep m(d) > m(k). So params_d sees exactly x_{<d}
  and log_prob needs one pass. Heads with coupled channels make one position per
  pixel; the channels of that pixel are drawn jointly.

  Args:
    event_shape: shape of one example, e.g. (8, 8, 1).
    head: `tfgen.heads.Head`, e.g. Bernoulli() or Categorical(17).
    hidden_units: sizes of the hidden layers (one or more).
    ordering: "natural" (row-major) or "random" (a permutation drawn from `seed`).
    hidden_degrees: "random" (as in the paper) or "equal" (spread evenly).
    direct_connection: add a masked input -> output layer.
    activation: hidden activation.
    seed: seeds the ordering and hidden degrees.

  Example:
    model = MADE((8, 8, 1), tfgen.heads.Bernoulli(), hidden_units=[256])
    model.compile(keras.optimizers.Adam(1e-3))
    model.fit(dataset)              # loss = -log p(x) in nats
    model.sample(16, seed=0)        # [16, 8, 8, 1]

  Reference: Germain, Gregor, Murray, Larochelle, "MADE: Masked Autoencoder for
  Distribution Estimation", ICML 2015.
  """

  def __init__(self, event_shape, head, hidden_units=(500,), ordering="natural",
               hidden_degrees="random", direct_connection=False, activation="relu", seed=0,
               **kwargs):
    super().__init__(event_shape, head, **kwargs)
    hidden_units = [int(units) for units in hidden_units]
    if not hidden_units or min(hidden_units) < 1:
      raise ValueError(f"MADE needs at least one hidden layer of >= 1 units, got {hidden_units}")
    if ordering not in ("natural", "random"):
      raise ValueError(f"ordering must be 'natural' or 'random', got {ordering!r}")
    if hidden_degrees not in ("random", "equal"):
      raise ValueError(f"hidden_degrees must be 'random' or 'equal', got {hidden_degrees!r}")
    if self.num_positions < 2:
      raise ValueError("MADE needs at least 2 positions to order")
    self.hidden_units = hidden_units
    self.ordering = ordering
    self.hidden_degrees = hidden_degrees
    self.direct_connection = bool(direct_connection)
    self.activation = activation
    self.seed = int(seed)
    num_outputs = self.num_positions * self.params_shape[-1]
    self.hidden_layers = [MaskedDense(units, activation=activation, name=f"hidden_{index}")
                          for index, units in enumerate(hidden_units)]
    self.output_layer = MaskedDense(num_outputs, name="output")
    self.direct_layer = (MaskedDense(num_outputs, use_bias=False, name="direct")
                         if self.direct_connection else None)

  def build(self, input_shape=None):
    input_size = int(np.prod(self.event_shape))
    size = input_size
    for layer in self.hidden_layers:
      layer.build((None, size))
      size = layer.units
    self.output_layer.build((None, size))
    if self.direct_layer is not None:
      self.direct_layer.build((None, input_size))
    # Degree 1..N of each grid position: where it comes in the ordering.
    self.position_degrees = self.add_weight(
        name="position_degrees", shape=(self.num_positions,), dtype="int32", initializer="zeros",
        trainable=False)
    self.set_masks(self.seed)
    self.built = True

  def make_degrees(self, seed):
    """(position degrees [N], hidden degrees per layer) for this ordering and seed."""
    rng = np.random.default_rng(seed)
    num_positions = self.num_positions
    if self.ordering == "natural":
      position_degrees = np.arange(1, num_positions + 1)
    else:
      position_degrees = rng.permutation(num_positions) + 1
    hidden = []
    lowest = 1
    for units in self.hidden_units:
      if self.hidden_degrees == "random":
        degrees = rng.integers(lowest, num_positions, size=units)   # in [lowest, N-1]
      else:
        degrees = np.arange(units) % (num_positions - 1) + 1
      hidden.append(degrees)
      lowest = int(degrees.min())
    return position_degrees, hidden

  def set_masks(self, seed):
    """Draws the ordering and hidden degrees from `seed` and sets every mask.

    Call it outside `call` (e.g. between steps, for order-agnostic training).
    """
    position_degrees, hidden = self.make_degrees(seed)
    input_degrees = np.repeat(position_degrees, self.element_size)
    output_degrees = np.repeat(position_degrees, self.params_shape[-1])
    below = input_degrees
    for layer, degrees in zip(self.hidden_layers, hidden):
      layer.set_mask(degrees[np.newaxis, :] >= below[:, np.newaxis])
      below = degrees
    self.output_layer.set_mask(output_degrees[np.newaxis, :] > below[:, np.newaxis])
    if self.direct_layer is not None:
      self.direct_layer.set_mask(output_degrees[np.newaxis, :] > input_degrees[:, np.newaxis])
    self.position_degrees.assign(position_degrees.astype(np.int32))

  def sampling_order(self):
    return tf.cast(tf.argsort(tf.convert_to_tensor(self.position_degrees)), tf.int32)

  def call(self, inputs):
    self.check_event_shape(inputs)
    flat = tf.reshape(self.head.normalize(inputs), [-1, int(np.prod(self.event_shape))])
    hidden = flat
    for layer in self.hidden_layers:
      hidden = layer(hidden)
    params = self.output_layer(hidden)
    if self.direct_layer is not None:
      params = params + self.direct_layer(flat)
    return tf.reshape(params, (-1,) + self.params_shape)

  def get_config(self):
    config = super().get_config()
    config.update(hidden_units=list(self.hidden_units), ordering=self.ordering,
                  hidden_degrees=self.hidden_degrees, direct_connection=self.direct_connection,
                  activation=self.activation, seed=self.seed)
    return config
