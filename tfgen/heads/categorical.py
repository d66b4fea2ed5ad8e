"""Categorical head: a softmax over K values per element."""

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen.heads import sampling
from tfgen.heads.head import Head, check_integer_range

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
    num_classes = int(num_classes)
    if num_classes < 2:
      raise ValueError(f"Categorical needs num_classes >= 2, got {num_classes}")
    self.num_classes = num_classes

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

  def mean(self, params):
    values = tf.range(self.num_classes, dtype=tf.float32)
    return tf.reduce_sum(tf.nn.softmax(params, axis=-1) * values, axis=-1)

  def check_support(self, x):
    return check_integer_range(x, self.num_classes, f"Categorical(num_classes={self.num_classes}) head")

  def _sample_elements(self, params, seed, temperature):
    return tf.cast(sampling.gumbel_argmax(params / temperature, seed), tf.float32)

  def get_config(self):
    return {"num_classes": self.num_classes}
