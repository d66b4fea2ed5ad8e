"""The two optimizers of an adversarial model: given, or two copies of one."""

import keras


def optimizer_pair(d_optimizer, g_optimizer, optimizer, model_name):
  """(D's optimizer, G's optimizer): the given ones, or fresh copies of `optimizer` for those missing.

  Copies are made from the optimizer's config, so the two keep separate
  slots and step counts (and learning-rate schedule positions).
  """
  if d_optimizer is None or g_optimizer is None:
    if optimizer is None:
      raise ValueError(f"{model_name}.compile needs d_optimizer and g_optimizer, or one "
                       "optimizer to copy")
    optimizer = keras.optimizers.get(optimizer)
    d_optimizer = d_optimizer or type(optimizer).from_config(optimizer.get_config())
    g_optimizer = g_optimizer or type(optimizer).from_config(optimizer.get_config())
  return d_optimizer, g_optimizer
