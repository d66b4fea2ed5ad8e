"""Multinomial logistic regression: the discriminative counterpart of naive Bayes."""

import keras
import tensorflow as tf

from tfgen.models.losses import scale_for_replicas


@keras.saving.register_keras_serializable(package="tfgen")
class LogisticRegression(keras.Model):
  """Models p(y | x) = softmax(W x + b) directly and says nothing about p(x).

  Trained with `fit` on (x, y) and the cross-entropy -log p(y | x), plus
  `l2` * ||W||^2. A duplicated feature only splits its weight between the
  copies (the optimum has w_1 + w_2 = w), so the posterior does not move.

  Args:
    num_classes: number of labels.
    l2: weight penalty.

  Example:
    model = LogisticRegression(num_classes=2)
    model.compile(keras.optimizers.Adam(0.1)); model.fit(x, y, epochs=200, verbose=0)
    model.predict_proba(x_new)
  """

  def __init__(self, num_classes, l2=0.0, **kwargs):
    super().__init__(**kwargs)
    if int(num_classes) < 2:
      raise ValueError(f"num_classes must be >= 2, got {num_classes}")
    self.num_classes = int(num_classes)
    self.l2 = float(l2)
    self.linear = keras.layers.Dense(self.num_classes,
                                     kernel_regularizer=keras.regularizers.L2(self.l2) if self.l2
                                     else None)

  def call(self, inputs):
    return self.linear(inputs)

  def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
    """Mean cross-entropy -log p(y | x), plus the `l2` penalty in training only.

    Validation loss is then the plain cross-entropy, comparable across `l2`.
    """
    del x, sample_weight
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.cast(y, tf.int32), logits=y_pred))
    if self.losses and training:
      loss = loss + tf.add_n(self.losses)
    return scale_for_replicas(loss)

  def predict_proba(self, x):
    return tf.nn.softmax(self(tf.convert_to_tensor(x, tf.float32))).numpy()

  def get_config(self):
    config = super().get_config()
    config.update(num_classes=self.num_classes, l2=self.l2)
    return config
