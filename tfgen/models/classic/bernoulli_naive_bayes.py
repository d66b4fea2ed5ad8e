"""Bernoulli naive Bayes: a generative classifier fit by counting."""

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions


class BernoulliNaiveBayes:
  """p(y, x) = p(y) prod_i p(x_i | y), each p(x_i | y) a Bernoulli; predicts by Bayes' rule.

    p(y | x) = p(y) prod_i theta_{y,i}^{x_i} (1 - theta_{y,i})^{1 - x_i} / sum_y' (same)
    theta_{y,i} = (count(x_i = 1, y) + alpha) / (count(y) + 2 alpha)

  Because every feature is assumed independent given y, a feature repeated k
  times is counted k times: its evidence moves the posterior k times as far.

  Args:
    num_classes: number of labels.
    alpha: Laplace smoothing (pseudo-counts per value).

  Example:
    model = BernoulliNaiveBayes(num_classes=2).fit(x, y)
    model.predict_proba(x_new)   # [batch, 2]
  """

  def __init__(self, num_classes, alpha=1.0):
    if int(num_classes) < 2:
      raise ValueError(f"num_classes must be >= 2, got {num_classes}")
    if alpha < 0:
      raise ValueError(f"alpha must be >= 0, got {alpha}")
    self.num_classes = int(num_classes)
    self.alpha = float(alpha)
    self.log_prior = None
    self.feature_probs = None

  def fit(self, x, y):
    """Counts: x [batch, features] of 0/1, y [batch] of labels. Returns self."""
    x, y = _check_binary(x), np.asarray(y)
    if y.shape != (len(x),):
      raise ValueError(f"y must have shape ({len(x)},), got {y.shape}")
    if y.min() < 0 or y.max() >= self.num_classes or not np.all(y == np.round(y)):
      raise ValueError(f"labels must be integers in [0, {self.num_classes - 1}]")
    y = y.astype(np.int64)
    class_counts = np.bincount(y, minlength=self.num_classes).astype(np.float64)
    ones = np.stack([x[y == label].sum(axis=0) for label in range(self.num_classes)])
    self.log_prior = np.log((class_counts + self.alpha) / (len(y) + self.num_classes * self.alpha))
    self.feature_probs = (ones + self.alpha) / (class_counts[:, np.newaxis] + 2 * self.alpha)
    return self

  def joint_distribution(self):
    """The fitted p(x | y) as a tfd distribution with batch [num_classes], event [features]."""
    self._check_fitted()
    return tfd.Independent(tfd.Bernoulli(probs=self.feature_probs, dtype=tf.float64), 1)

  def predict_log_proba(self, x):
    """log p(y | x): [batch, num_classes]."""
    x = _check_binary(x)
    self._check_fitted()
    if x.shape[1] != self.feature_probs.shape[1]:
      raise ValueError(f"expected {self.feature_probs.shape[1]} features, got {x.shape[1]}")
    log_likelihood = self.joint_distribution().log_prob(x[:, np.newaxis, :]).numpy()
    joint = self.log_prior + log_likelihood
    return joint - np.logaddexp.reduce(joint, axis=1, keepdims=True)

  def predict_proba(self, x):
    return np.exp(self.predict_log_proba(x))

  def predict(self, x):
    return np.argmax(self.predict_log_proba(x), axis=1)

  def _check_fitted(self):
    if self.feature_probs is None:
      raise ValueError("BernoulliNaiveBayes is not fitted; call fit(x, y) first")


def _check_binary(x):
  x = np.asarray(x, dtype=np.float64)
  if x.ndim != 2:
    raise ValueError(f"x must be [batch, features], got shape {x.shape}")
  if not np.isin(x, (0.0, 1.0)).all():
    raise ValueError("x must hold only 0 and 1")
  return x
