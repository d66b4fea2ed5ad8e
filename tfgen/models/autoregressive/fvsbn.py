"""FVSBN: the fully visible sigmoid belief network, a logistic regression per variable."""

import keras
import numpy as np
import tensorflow as tf

from tfgen.layers.masked_dense import MaskedDense
from tfgen.layers.philox_dropout import PhiloxDropout
from tfgen.models.autoregressive import orderings
from tfgen.models.autoregressive.autoregressive_model import AutoregressiveModel
from tfgen.utils import checks


@keras.saving.register_keras_serializable(package="tfgen")
class FVSBN(AutoregressiveModel):
  """Each conditional is a (multinomial) logistic regression on the earlier variables.

    p(x_i = 1 | x_<i) = sigmoid(alpha_0^i + sum_{j<i} alpha_j^i x_j)

  (for Categorical heads a softmax regression on one-hot inputs). One masked
  linear layer computes every conditional in one pass; about n^2/2 weights are
  free. `l2` and `l1` add weight penalties to the training loss.

  Args:
    event_shape: shape of one example, e.g. (28, 28, 1).
    head: `tfgen.heads.Head`.
    ordering: "natural", "reverse" or "random" (from `seed`).
    l2: L2 penalty on the weights, per example (added to the mean NLL).
    l1: L1 penalty on the weights, per example; it favours few couplings,
      as a pixel depends mostly on its neighbours.
    seed: seeds a random ordering.
    l1_distance: makes the L1 penalty of a coupling grow with the distance
      between its two positions (Euclidean, in grid steps):
        penalty = l1 * sum_{j<i} |alpha_j^i| * (1 + l1_distance * dist(i, j)).
      0 gives the plain L1 penalty. A prior that near pixels matter more; the
      model itself is unchanged.
    input_dropout: rate of dropout on the inputs x_j of every regression in
      training (0 = none). For logistic regression this is an adaptive L2
      penalty that weighs rare inputs more (Wager et al. 2013). Bounds,
      sampling and evaluation run without it.

  Example:
    model = FVSBN((28, 28, 1), tfgen.heads.Bernoulli())
    model.compile(keras.optimizers.Adam(1e-3)); model.fit(dataset)

  References: Frey, "Graphical models for machine learning and digital
  communication", 1998; Gan et al., "Learning deep sigmoid belief networks with
  data augmentation", AISTATS 2015 (97.45 nats on binarized MNIST); Wager et
  al., "Dropout training as adaptive regularization", NeurIPS 2013.
  """

  def __init__(self, event_shape, head, ordering="natural", l2=0.0, seed=0, l1=0.0, l1_distance=0.0,
               input_dropout=0.0, **kwargs):
    super().__init__(event_shape, head, **kwargs)
    if ordering not in orderings.ORDERINGS:
      raise ValueError(f"ordering must be one of {', '.join(orderings.ORDERINGS)}, got {ordering!r}")
    if l2 < 0 or l1 < 0 or l1_distance < 0:
      raise ValueError(f"l2, l1 and l1_distance must be >= 0, got l2={l2}, l1={l1}, "
                       f"l1_distance={l1_distance}")
    self.ordering = ordering
    self.input_dropout = checks.rate("input_dropout", input_dropout)
    self.l2 = float(l2)
    self.l1 = float(l1)
    self.l1_distance = float(l1_distance)
    self.seed = int(seed)
    self._l1_weights = None
    self.linear = MaskedDense(self.num_positions * self.params_shape[-1], name="linear")
    self.dropout_layer = PhiloxDropout(self.input_dropout, seed=self.seed, name="input_dropout")

  def build(self, input_shape=None):
    degrees = orderings.position_degrees(self.ordering, self.num_positions,
                                         np.random.default_rng(self.seed), self.grid_shape)
    self.linear.build((None, self.num_positions * self.input_features))
    input_degrees = np.repeat(degrees, self.input_features)
    output_degrees = np.repeat(degrees, self.params_shape[-1])
    self.linear.set_mask(output_degrees[np.newaxis, :] > input_degrees[:, np.newaxis])
    if self.l1 and self.l1_distance:
      # Grid coordinates of each position, then 1 + l1_distance * distance per (input, output) pair.
      coordinates = np.stack(np.unravel_index(np.arange(self.num_positions), self.grid_shape), axis=-1)
      distance = np.linalg.norm(coordinates[:, np.newaxis, :] - coordinates[np.newaxis, :, :], axis=-1)
      weights = 1.0 + self.l1_distance * distance
      weights = np.repeat(np.repeat(weights, self.input_features, axis=0), self.params_shape[-1], axis=1)
      self._l1_weights = tf.constant(weights, tf.float32)
    self.build_ordering(degrees)
    self.built = True

  def call(self, inputs, training=None):
    self.check_event_shape(inputs)
    flat = tf.reshape(self.encode_inputs(inputs), [-1, self.num_positions * self.input_features])
    flat = self.dropout_layer(flat, training=training)  # Rate 0 passes the inputs through.
    if self.l2 or self.l1:
      couplings = self.linear.masked_kernel()
      magnitudes = tf.abs(couplings)
      if self._l1_weights is not None:
        magnitudes = magnitudes * self._l1_weights
      self.add_loss(self.l2 * tf.reduce_sum(tf.square(couplings))
                    + self.l1 * tf.reduce_sum(magnitudes))
    return tf.reshape(self.linear(flat), (-1,) + self.params_shape)

  def get_config(self):
    config = super().get_config()
    config.update(ordering=self.ordering, l2=self.l2, l1=self.l1, seed=self.seed,
                  l1_distance=self.l1_distance, input_dropout=self.input_dropout)
    return config
