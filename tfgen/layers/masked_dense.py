"""Dense layer with a constant connectivity mask."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

DEGREE_RULES = ("greater_equal", "greater")
TRAINING_MATMUL_DTYPES = ("float32", "bfloat16")


def _connections(input_degrees, output_degrees, strict):
  """M[i, k] = m_out(k) > m_in(i) if strict, else >=: boolean [in, units]."""
  if strict:
    return output_degrees[tf.newaxis, :] > input_degrees[:, tf.newaxis]
  return output_degrees[tf.newaxis, :] >= input_degrees[:, tf.newaxis]


@tf.function(jit_compile=True, autograph=False)
def _select(values, input_degrees, output_degrees, strict, dtype):
  """values * M cast to `dtype`, built from the degrees in one pass over `values`."""
  return tf.where(_connections(input_degrees, output_degrees, strict),
                  tf.cast(values, dtype), tf.zeros((), dtype))


def _bfloat16_masked_kernel(kernel, input_degrees, output_degrees, strict):
  """W * M as bfloat16 for a matmul; its gradient, W's, is float32 and masked."""

  @tf.custom_gradient
  def masked(kernel):
    def gradient(upstream):
      return _select(upstream, input_degrees, output_degrees, strict, tf.float32)

    return _select(kernel, input_degrees, output_degrees, strict, tf.bfloat16), gradient

  return masked(kernel)


@keras.saving.register_keras_serializable(package="tfgen")
class MaskedDense(keras.layers.Layer):
  """Dense layer whose kernel is multiplied by a 0/1 mask in every call.

    y = activation(x @ (W * M) + b)

  The mask comes from one of two kinds of non-trainable weights, saved with the
  model and set outside `call` (MADE sets them from its degrees and may switch
  them between training steps); `call` only builds and multiplies.

  - degree_rule=None: M itself, [in, units], set with `set_mask`.
  - degree_rule="greater_equal" or "greater": unit degrees m_in [in] and
    m_out [units], set with `set_degrees`, and
      M[i, k] = [m_out(k) >= m_in(i)]   (MADE's hidden layers)
      M[i, k] = [m_out(k) >  m_in(i)]   (its output and direct layers).
    Switching connectivity then assigns in + units integers, not an [in, units]
    matrix: 16 thousand against 64 million numbers at 8000 x 8000.

  With training_matmul_dtype="bfloat16", calls with training=True multiply in
  bfloat16 (inputs and W * M rounded to 8-bit mantissas). W and b stay float32
  variables; the output and W's gradient are float32 tensors holding
  bfloat16-rounded values. CPUs with AMX or AVX512-BF16 run these matmuls about
  3x faster than float32, but XLA's CPU backend does not use those units: train
  such a model without `jit_compile` (and with `FusedAdagrad`, whose update is
  XLA-fused on its own). Calls with training=False (log_prob, evaluation,
  sampling) stay float32.

  Args:
    units: output size.
    activation: Keras activation name or callable.
    use_bias: add b.
    kernel_initializer: initializer of W.
    degree_rule: None (an explicit mask) or how degrees are compared.
    training_matmul_dtype: "float32" or "bfloat16", the matmul's precision in
      training calls.

  Shapes: x [batch, in] -> y [batch, units]; M [in, units].

  Example:
    layer = MaskedDense(3)
    layer.build((None, 2))
    layer.set_mask(np.array([[1, 0, 0], [1, 1, 0]]))

    layer = MaskedDense(3, degree_rule="greater")
    layer.build((None, 2))
    layer.set_degrees([1, 2], [1, 2, 3])   # M = [[0, 1, 1], [0, 0, 1]]

  Reference: Germain et al., "MADE", ICML 2015, eq. (12)-(13).
  """

  def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
               degree_rule=None, training_matmul_dtype="float32", **kwargs):
    super().__init__(**kwargs)
    if int(units) < 1:
      raise ValueError(f"MaskedDense needs units >= 1, got {units}")
    if degree_rule is not None and degree_rule not in DEGREE_RULES:
      raise ValueError(f"degree_rule must be None or one of {', '.join(DEGREE_RULES)}, "
                       f"got {degree_rule!r}")
    self.units = int(units)
    self.activation = keras.activations.get(activation)
    self.use_bias = bool(use_bias)
    self.kernel_initializer = keras.initializers.get(kernel_initializer)
    self.degree_rule = degree_rule
    if training_matmul_dtype not in TRAINING_MATMUL_DTYPES:
      raise ValueError(f"training_matmul_dtype must be one of {', '.join(TRAINING_MATMUL_DTYPES)}, "
                       f"got {training_matmul_dtype!r}")
    self.training_matmul_dtype = training_matmul_dtype

  def build(self, input_shape):
    input_size = int(input_shape[-1])
    self.kernel = self.add_weight(name="kernel", shape=(input_size, self.units),
                                  initializer=self.kernel_initializer)
    self.bias = (self.add_weight(name="bias", shape=(self.units,), initializer="zeros")
                 if self.use_bias else None)
    if self.degree_rule is None:
      self.mask = self.add_weight(name="mask", shape=(input_size, self.units), initializer="ones",
                                  trainable=False)
    else:
      # Zero degrees until set: an all-ones mask (>=) or an all-zeros one (>).
      self.input_degrees = self.add_weight(name="input_degrees", shape=(input_size,),
                                           dtype="int32", initializer="zeros", trainable=False)
      self.output_degrees = self.add_weight(name="output_degrees", shape=(self.units,),
                                            dtype="int32", initializer="zeros", trainable=False)

  def set_mask(self, mask):
    """Replaces the connectivity mask; `mask` is [in, units] of zeros and ones (or booleans)."""
    if self.degree_rule is not None:
      raise ValueError(f"{self.name}: this layer's mask comes from its degrees; use set_degrees")
    mask = np.asarray(mask)
    if mask.shape != tuple(self.mask.shape):
      raise ValueError(f"{self.name}: mask shape {mask.shape} != kernel shape {tuple(self.mask.shape)}")
    # A boolean mask is 0/1 by its type; skipping the scan matters for large masks.
    if mask.dtype != np.bool_ and not np.all((mask == 0) | (mask == 1)):
      raise ValueError(f"{self.name}: a mask holds only zeros and ones")
    self.mask.assign(mask.astype(np.float32))

  def set_degrees(self, input_degrees, output_degrees):
    """Sets m_in [in] and m_out [units], integer arrays (layers with a degree_rule)."""
    if self.degree_rule is None:
      raise ValueError(f"{self.name}: this layer holds an explicit mask; use set_mask")
    for name, degrees, variable in (("input", input_degrees, self.input_degrees),
                                    ("output", output_degrees, self.output_degrees)):
      degrees = np.asarray(degrees)
      if degrees.shape != tuple(variable.shape):
        raise ValueError(f"{self.name}: {name} degrees have shape {degrees.shape}, "
                         f"expected {tuple(variable.shape)}")
      if not np.issubdtype(degrees.dtype, np.integer):
        raise ValueError(f"{self.name}: {name} degrees must be integers, got dtype {degrees.dtype}")
      variable.assign(degrees.astype(np.int32))

  def connections(self):
    """Boolean [in, units]: which kernel entries are kept (layers with a degree_rule)."""
    return _connections(tf.convert_to_tensor(self.input_degrees),
                        tf.convert_to_tensor(self.output_degrees), self.degree_rule == "greater")

  def masked_kernel(self):
    """W * M, [in, units]."""
    if self.degree_rule is None:
      return self.kernel * self.mask
    # A select reads the boolean mask directly: no float mask is made or multiplied.
    return ops.where(self.connections(), self.kernel, ops.zeros((), self.kernel.dtype))

  def call(self, inputs, training=None):
    if self.training_matmul_dtype == "bfloat16" and training:
      if self.degree_rule is None:
        kernel = ops.cast(self.masked_kernel(), "bfloat16")
      else:
        kernel = _bfloat16_masked_kernel(
            *[tf.convert_to_tensor(variable)
              for variable in (self.kernel, self.input_degrees, self.output_degrees)],
            self.degree_rule == "greater")
      outputs = ops.cast(ops.matmul(ops.cast(inputs, "bfloat16"), kernel), inputs.dtype)
    else:
      outputs = ops.matmul(inputs, self.masked_kernel())
    if self.bias is not None:
      outputs = outputs + self.bias
    return self.activation(outputs)

  def load_own_variables(self, store):
    # Layers with degrees read files written when MADE's layers held whole masks: those hold an
    # [in, units] mask where the two degree vectors now are. The owner rebuilds the degrees from
    # its seed, so only W and b are read.
    num_trainable = len(self._trainable_variables)
    if (self.degree_rule is not None and len(store.keys()) == num_trainable + 1
        and len(store[str(num_trainable)].shape) == 2):
      for index, variable in enumerate(self._trainable_variables):
        variable.assign(store[str(index)])
      return
    super().load_own_variables(store)

  def compute_output_shape(self, input_shape):
    return tuple(input_shape[:-1]) + (self.units,)

  def get_config(self):
    config = super().get_config()
    config.update(units=self.units, activation=keras.activations.serialize(self.activation),
                  use_bias=self.use_bias,
                  kernel_initializer=keras.initializers.serialize(self.kernel_initializer),
                  degree_rule=self.degree_rule, training_matmul_dtype=self.training_matmul_dtype)
    return config
