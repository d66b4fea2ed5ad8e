"""MADE: Masked Autoencoder for Distribution Estimation (Germain et al. 2015)."""

import keras
import numpy as np
import tensorflow as tf

from tfgen.layers.masked_dense import MaskedDense
from tfgen.layers.philox_dropout import PhiloxDropout
from tfgen.models.autoregressive import orderings
from tfgen.models.autoregressive.autoregressive_model import AutoregressiveModel
from tfgen.utils import checks


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
    ordering: "natural" (row-major), "reverse" or "random" (a permutation from `seed`).
    hidden_degrees: "random" (as in the paper) or "equal" (spread evenly).
    direct_connection: add a masked input -> output layer.
    activation: hidden activation.
    dropout: rate of dropout on the hidden units in training (0 = none). Keeps
      the autoregressive property: a dropped unit only removes paths.
    seed: seeds the ordering and hidden degrees; mask m uses seed + m.
    num_masks: M >= 1 connectivity patterns. With M > 1, training cycles through
      them (order-agnostic training when ordering="random"; see
      `tfgen.training.MaskCycler`) and `ensemble_log_prob` averages over them:
        p(x) = (1/M) sum_m p_m(x).
    training_matmul_dtype: "float32", or "bfloat16" for the matmuls of training
      steps only (see `MaskedDense`; train without XLA). log_prob, evaluation and
      sampling stay float32.

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
               num_masks=1, dropout=0.0, training_matmul_dtype="float32", **kwargs):
    super().__init__(event_shape, head, **kwargs)
    hidden_units = [int(units) for units in hidden_units]
    if not hidden_units or min(hidden_units) < 1:
      raise ValueError(f"MADE needs at least one hidden layer of >= 1 units, got {hidden_units}")
    if ordering not in orderings.ORDERINGS:
      raise ValueError(f"ordering must be one of {', '.join(orderings.ORDERINGS)}, got {ordering!r}")
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
    if int(num_masks) < 1:
      raise ValueError(f"num_masks must be >= 1, got {num_masks}")
    self.num_masks = int(num_masks)
    self.dropout = checks.rate("dropout", dropout)
    self.mask_index = 0
    num_outputs = self.num_positions * self.params_shape[-1]
    self.training_matmul_dtype = training_matmul_dtype
    self.hidden_layers = [MaskedDense(units, activation=activation, degree_rule="greater_equal",
                                      training_matmul_dtype=training_matmul_dtype,
                                      name=f"hidden_{index}")
                          for index, units in enumerate(hidden_units)]
    # Rate 0 passes its input through unchanged.
    self.dropout_layers = [PhiloxDropout(self.dropout, seed=self.seed + index)
                           for index in range(len(hidden_units))]
    self.output_layer = MaskedDense(num_outputs, degree_rule="greater",
                                    training_matmul_dtype=training_matmul_dtype, name="output")
    self.direct_layer = (MaskedDense(num_outputs, use_bias=False, degree_rule="greater",
                                     training_matmul_dtype=training_matmul_dtype, name="direct")
                         if self.direct_connection else None)

  def build(self, input_shape=None):
    input_size = self.num_positions * self.input_features
    size = input_size
    for layer in self.hidden_layers:
      layer.build((None, size))
      size = layer.units
    self.output_layer.build((None, size))
    if self.direct_layer is not None:
      self.direct_layer.build((None, input_size))
    self.build_ordering(np.zeros(self.num_positions, np.int32))
    self.set_masks(self.seed)
    self.built = True

  def make_degrees(self, seed):
    """(position degrees [N], hidden degrees per layer) for this ordering and seed."""
    rng = np.random.default_rng(seed)
    num_positions = self.num_positions
    position_degrees = orderings.position_degrees(self.ordering, num_positions, rng,
                                                  self.grid_shape)
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

  def layer_degrees(self, seed):
    """(position degrees [N], [(input degrees, output degrees) of each masked layer])."""
    position_degrees, hidden = self.make_degrees(seed)
    input_degrees = np.repeat(position_degrees, self.input_features)
    output_degrees = np.repeat(position_degrees, self.params_shape[-1])
    pairs = []
    below = input_degrees
    for degrees in hidden:
      pairs.append((below, degrees))  # Hidden: m(k) >= m(k') of the layer below.
      below = degrees
    pairs.append((below, output_degrees))  # Output: m(d) > m(k).
    if self.direct_layer is not None:
      pairs.append((input_degrees, output_degrees))
    return position_degrees.astype(np.int32), pairs

  def masked_layers(self):
    """The MaskedDense layers: hidden, output, then direct (if any)."""
    layers = self.hidden_layers + [self.output_layer]
    return layers + ([self.direct_layer] if self.direct_layer is not None else [])

  def set_masks(self, seed):
    """Draws the ordering and hidden degrees from `seed` and sets every layer's degrees.

    Call it outside `call` (e.g. between steps, for order-agnostic training).
    Only degree vectors are assigned; the masks are built from them in `call`.
    """
    # Degrees are redrawn from the seed (microseconds), so nothing per mask is kept.
    position_degrees, pairs = self.layer_degrees(seed)
    for layer, (input_degrees, output_degrees) in zip(self.masked_layers(), pairs):
      layer.set_degrees(input_degrees, output_degrees)
    self.position_degrees.assign(position_degrees)

  def use_mask(self, index):
    """Switches to connectivity pattern `index` in [0, num_masks)."""
    index = int(index) % self.num_masks
    self.set_masks(self.seed + index)
    self.mask_index = index

  def ensemble_log_prob(self, x, num_masks=None):
    """log (1/M) sum_m p_m(x) over the first M masks (default num_masks): [batch].

    Raises ValueError when M is outside [1, num_masks]: masks past num_masks were
    never trained, and `use_mask` would wrap them onto trained ones.
    Leaves the model on the mask it had.
    """
    num_masks = self.num_masks if num_masks is None else int(num_masks)
    if not 1 <= num_masks <= self.num_masks:
      raise ValueError(f"num_masks must be in [1, {self.num_masks}] (the masks this model was "
                       f"trained with), got {num_masks}.")
    current = self.mask_index
    try:
      per_mask = []
      for index in range(num_masks):
        self.use_mask(index)
        per_mask.append(super().evaluation_log_prob(x))
    finally:
      self.use_mask(current)
    return tf.reduce_logsumexp(tf.stack(per_mask), axis=0) - np.log(num_masks)

  def evaluation_log_prob(self, x, condition=None, seed=None):
    """The ensemble's log p(x) when the model has several masks, else `log_prob`: [batch]."""
    if self.num_masks > 1:
      return self.ensemble_log_prob(x)
    return super().evaluation_log_prob(x, condition, seed)

  def evaluation_fields(self):
    return {"num_masks": self.num_masks} if self.num_masks > 1 else {}

  def call(self, inputs, training=None):
    self.check_event_shape(inputs)
    flat = tf.reshape(self.encode_inputs(inputs), [-1, self.num_positions * self.input_features])
    hidden = flat
    for layer, dropout in zip(self.hidden_layers, self.dropout_layers):
      hidden = dropout(layer(hidden, training=training), training=training)
    params = self.output_layer(hidden, training=training)
    if self.direct_layer is not None:
      params = params + self.direct_layer(flat, training=training)
    return tf.reshape(params, (-1,) + self.params_shape)

  def get_config(self):
    config = super().get_config()
    config.update(hidden_units=list(self.hidden_units), ordering=self.ordering,
                  hidden_degrees=self.hidden_degrees, direct_connection=self.direct_connection,
                  activation=self.activation, seed=self.seed, num_masks=self.num_masks,
                  dropout=self.dropout, training_matmul_dtype=self.training_matmul_dtype)
    return config
