"""Class labels as model inputs, shared by the conditional sequence models and the conditional VAE.

A conditional model takes (x, labels) or {"x": x, "condition": labels}, with
int labels [batch] in [0, num_conditions); an unconditional one takes x alone.
"""

import numpy as np
import tensorflow as tf

from tfgen.heads import head as head_lib


def split_inputs(inputs, num_conditions, model_name):
  """Model inputs -> (x, labels or None), refusing a condition that does not fit the model."""
  if isinstance(inputs, dict):
    unknown = set(inputs) - {"x", "condition"}
    if "x" not in inputs or unknown:
      raise ValueError(f"dict inputs need the keys 'x' and 'condition', got {sorted(inputs)}")
    x, labels = inputs["x"], inputs.get("condition")
  elif isinstance(inputs, (tuple, list)):
    if len(inputs) != 2:
      raise ValueError(f"tuple inputs must be (x, labels), got {len(inputs)} items")
    x, labels = inputs
  else:
    x, labels = inputs, None
  if not num_conditions:
    if labels is not None:
      raise ValueError(f"this {model_name} is unconditional (num_conditions=0) "
                       "but was given a condition")
    return x, None
  if labels is None:
    raise ValueError(f"this {model_name} is conditioned on one of {num_conditions} classes: "
                     "it takes (x, labels)")
  return x, labels


def one_hot(condition, num_conditions, model_name):
  """int labels [batch] (or an already one-hot [batch, num_conditions]) -> one-hot; bad labels raise."""
  condition = tf.convert_to_tensor(condition)
  if condition.shape.rank == 2 and condition.dtype.is_floating:
    if condition.shape[-1] != num_conditions:
      raise ValueError(f"a one-hot condition needs {num_conditions} columns, "
                       f"got shape {condition.shape}")
    return condition
  if condition.shape.rank != 1:
    raise ValueError(f"condition labels must have shape [batch], got {condition.shape}")
  labels = head_lib.check_integer_range(
      tf.cast(condition, tf.float32), num_conditions, f"{model_name}'s label")
  return tf.one_hot(tf.cast(labels, tf.int32), num_conditions)


def per_sample(condition, num_samples):
  """One label, or one label per sample, -> labels [num_samples]."""
  if np.ndim(condition) == 0:
    return tf.fill([num_samples], tf.convert_to_tensor(condition))
  labels = tf.convert_to_tensor(condition)
  if tuple(labels.shape[:1]) != (num_samples,):
    raise ValueError(f"condition must be one label or {num_samples}, got shape {tuple(labels.shape)}")
  return labels
