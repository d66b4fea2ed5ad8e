"""Optimizers that refuse an update whose gradients hold a NaN or an inf."""

import functools

import tensorflow as tf


def num_non_finite(gradients):
  """The number of NaN and inf entries in a list of gradients (None entries skipped)."""
  counts = [tf.reduce_sum(tf.cast(~tf.math.is_finite(gradient), tf.float32))
            for gradient in gradients if gradient is not None]
  return tf.add_n(counts) if counts else tf.constant(0.0)


class FiniteUpdates:
  """Optimizer mixin: an update whose gradients are not all finite is not applied.

    finite(g) -> w, slots, iterations <- update(w, g)
    else      -> nothing changes

  A NaN or an inf loss gives non-finite gradients; one such step would
  otherwise write NaN into every weight and optimizer slot. The step counter
  does not advance either, so a schedule (or a VAE's KL warm-up) resumes where
  it was. Under tf.distribute the replicas agree first: one replica's NaN
  stops the update on all of them (it would reach all of them through the
  all-reduce). `NonFiniteGuard` then stops training and names the step.

  Use `finite_updates(keras.optimizers.Adam)(...)`, as `build_optimizer` does.
  This is the logic of Keras' `LossScaleOptimizer._tf_apply` (a cond in
  cross-replica context, since an update inside a replica's cond cannot
  merge), without the loss scale.
  """

  def apply(self, grads, trainable_variables=None):
    grads = list(grads)
    if not self.built:  # Variables cannot be created inside the cond's branches.
      self.build(trainable_variables)
    apply = super().apply
    if (not tf.distribute.has_strategy()
        or tf.__internal__.distribute.strategy_supports_no_merge_call()):
      tf.cond(num_non_finite(grads) > 0, _nothing,
              lambda: _done(apply(grads, trainable_variables)))
      return

    def cross_replica(distribution, grads, variables):
      num_bad = distribution.reduce(
          tf.distribute.ReduceOp.SUM,
          distribution.extended.call_for_each_replica(num_non_finite, args=(grads,)), axis=None)
      tf.cond(num_bad > 0, _nothing,
              lambda: _done(distribution.extended.call_for_each_replica(
                  apply, args=(grads, variables))))

    tf.distribute.get_replica_context().merge_call(cross_replica, args=(grads, trainable_variables))


def _nothing():
  return tf.constant(False)


def _done(unused_result):
  return tf.constant(True)


@functools.cache
def finite_updates(optimizer_class):
  """`optimizer_class` with `FiniteUpdates` mixed in (the same class for the same base).

  The subclass keeps the base's name, config and variables, so checkpoints of
  either load into the other.
  """
  return type(optimizer_class.__name__, (FiniteUpdates, optimizer_class),
              {"__doc__": f"{optimizer_class.__name__} that skips non-finite updates "
                          "(see `FiniteUpdates`).",
               "__module__": optimizer_class.__module__})
