"""Categorical head: a softmax over K values per element."""

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen.heads import sampling
from tfgen.heads.head import Head, MAX_VALUES, as_float32, check_integer_range
from tfgen.utils import checks

tfd = tfp.distributions


@keras.saving.register_keras_serializable(package="tfgen")
class Categorical(Head):
  """Independent K-valued elements given their logits.

    p(x | params) = prod_g softmax(params[g])[x_g],   x_g in {0, ..., K-1}

  Args:
    num_classes: K >= 2.

  Params: [batch..., *event_shape, K]. Values: integers 0..K-1 (any dtype).

  Example:
    head = Categorical(num_classes=17)
    head.sample(tf.zeros([2, 64, 17]), seed=0)   # [2, 64] in {0..16}
  """

  def __init__(self, num_classes):
    self.num_classes = checks.integer("Categorical", "num_classes", num_classes, 2, MAX_VALUES)

  @property
  def num_values(self):
    return self.num_classes

  def params_per_element(self, element_shape=()):
    return self.num_classes

  def normalize(self, x):
    # Values 0..K-1 to [0, 1].
    return tf.cast(x, tf.float32) / float(self.num_classes - 1)

  def _element_distribution(self, params):
    if params.shape[-1] != self.num_classes:
      raise ValueError(f"Categorical(num_classes={self.num_classes}) got params with last axis "
                       f"{params.shape[-1]}")
    return tfd.Categorical(logits=params, dtype=tf.float32)

  def log_prob(self, x, params, batch_ndims=1):
    """log p(x | params) summed over the event: [batch...], as tfd.Categorical's.

    Computed as sum(one_hot(x) * log_softmax(params)), with TFLite builtin ops
    (tfd.Categorical's sparse softmax cross-entropy is not one).
    """
    params = as_float32(params)
    self._element_distribution(params)  # Checks the last axis.
    grid_ndims = params.shape.rank - 1 - batch_ndims
    if grid_ndims < 0:
      raise ValueError(f"params of rank {params.shape.rank} cannot have {batch_ndims} batch axes")
    x = self.check_support(tf.cast(x, tf.float32))
    per_element = tf.reduce_sum(tf.one_hot(tf.cast(x, tf.int32), self.num_classes)
                                * tf.nn.log_softmax(params, axis=-1), axis=-1)
    return tf.reduce_sum(per_element, axis=list(range(batch_ndims, batch_ndims + grid_ndims)))

  def mean(self, params):
    values = tf.range(self.num_classes, dtype=tf.float32)
    return tf.reduce_sum(tf.nn.softmax(params, axis=-1) * values, axis=-1)

  def check_support(self, x):
    return check_integer_range(x, self.num_classes, f"Categorical(num_classes={self.num_classes}) head")

  def noise_size(self, num_params):
    return self.num_classes

  def _sample_from_noise(self, params, noise, temperature):
    return tf.cast(sampling.gumbel_argmax(params / temperature, noise=noise), tf.float32)

  def get_config(self):
    return {"num_classes": self.num_classes}
