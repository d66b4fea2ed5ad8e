"""Loss helpers shared by models that override `compute_loss` or `train_step`."""

import tensorflow as tf


def scale_for_replicas(loss):
  """Divides a per-replica mean loss by the number of replicas, as Keras' own losses are.

  Under `tf.distribute` each replica's gradients are summed, so each replica
  must contribute mean / num_replicas; Keras unscales the logged value again.
  """
  num_replicas = tf.distribute.get_strategy().num_replicas_in_sync
  if num_replicas > 1:
    loss = loss / tf.cast(num_replicas, loss.dtype)
  return loss


def scale_for_update(loss, optimizer):
  """The loss a custom train_step differentiates for `optimizer`: per replica (see
  `scale_for_replicas`), times the optimizer's loss scale (a LossScaleOptimizer's under
  mixed_float16, whose apply_gradients unscales; 1 for other optimizers)."""
  return optimizer.scale_loss(scale_for_replicas(loss))
