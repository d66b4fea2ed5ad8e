"""AdaGrad whose update of each variable runs as one XLA kernel."""

import keras
import tensorflow as tf


def _update(variable, accumulator, gradient, learning_rate, epsilon):
  accumulator.assign_add(tf.square(gradient))
  variable.assign_sub(learning_rate * gradient / tf.sqrt(accumulator + epsilon))


def _tf_variable(variable):
  """The tf.Variable behind a Keras variable (Keras passes either to `update_step`)."""
  return variable if isinstance(variable, tf.Variable) else variable.value


@keras.saving.register_keras_serializable(package="tfgen")
class FusedAdagrad(keras.optimizers.Adagrad):
  """Keras' AdaGrad, each variable's update fused into one pass over it.

    s <- s + g^2,   w <- w - lr * g / sqrt(s + epsilon)

  The same update as `keras.optimizers.Adagrad`. Inside an XLA-compiled training
  step XLA fuses it anyway; in a plain tf.function step (what bfloat16 training
  matmuls need, see `MaskedDense`) Keras' version makes about ten passes over each
  weight, which for a 64M-entry kernel costs more than its matmuls.

  Args:
    as for `keras.optimizers.Adagrad`.

  Example:
    model.compile(FusedAdagrad(0.01, initial_accumulator_value=1e-6, epsilon=0.0))

  Reference: Duchi, Hazan, Singer, "Adaptive Subgradient Methods", JMLR 2011.
  """

  def update_step(self, gradient, variable, learning_rate):
    if tf.distribute.has_strategy():
      # A mirrored accumulator would be captured by shape in the traced function, so
      # same-shaped variables would share one; Keras's update handles replicas.
      super().update_step(gradient, variable, learning_rate)
      return
    accumulator = self._accumulators[self._get_variable_index(variable)]
    if getattr(self, "_fused_update", None) is None:
      # One compiled update per optimizer: a module-level function would keep traces of
      # another (deleted) model's variables and fail when called inside a new XLA step.
      self._fused_update = tf.function(_update, jit_compile=True, autograph=False)
    self._fused_update(_tf_variable(variable), _tf_variable(accumulator),
                       tf.cast(gradient, variable.dtype), tf.cast(learning_rate, variable.dtype),
                       tf.cast(self.epsilon, variable.dtype))
