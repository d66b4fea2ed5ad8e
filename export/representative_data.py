"""Calibration inputs for full-int8 TFLite: each signature's inputs, from the run's training data.

The converter measures the range of every activation on these inputs, so they
must look like what the model sees in use: training examples for `x`, their
posterior means for a VAE's `z`, the recurrent states a sequence model reaches
on training text for `step`, uniform numbers for `uniform` noise.

  representative_inputs(model, config, signatures, num_examples)
    -> {signature: [{input name: numpy array with batch 1}, ...]}
"""

import numpy as np
import tensorflow as tf

from export import saved_model_lib
from tfgen.training import run


def training_examples(config, num_examples):
  """(x [n, ...] float32, labels [n] int32 or None) from the start of the training split."""
  try:
    x, labels = next(iter(run.split_batches(config, "train", num_examples)))
  except (OSError, ValueError, KeyError) as error:
    raise ValueError(f"int8 calibrates on the run's training data ({config.data.name}), which "
                     f"cannot be read here: {error}") from None
  return (np.asarray(x, np.float32),
          None if labels is None else np.asarray(labels, np.int32))


def representative_inputs(model, config, signatures, num_examples=100, seed=0):
  """{signature key: list of input dicts (batch 1)} for `signatures` (concrete functions).

  Args:
    model: the Keras model the signatures come from.
    config: the run's config (its data section names the training data).
    signatures: {key: concrete function with named TensorSpecs}.
    num_examples: calibration inputs per signature.
  """
  if int(num_examples) < 1:
    raise ValueError(f"the int8 calibration needs num_examples >= 1, got {num_examples}")
  x, labels = training_examples(config, int(num_examples))
  rng = np.random.default_rng(seed)
  steps = _step_inputs(model, x, labels, int(num_examples)) if "step" in signatures else []
  inputs = {}
  for key, function in signatures.items():
    if key == "step":
      inputs[key] = steps
      continue
    specs = saved_model_lib.named_specs(function)
    inputs[key] = [_one(model, specs, x[index % len(x):][:1],
                        None if labels is None else labels[index % len(x):][:1], rng)
                   for index in range(int(num_examples))]
  return inputs


def _one(model, specs, x, labels, rng):
  """One calibration input (batch 1) for a signature's named specs."""
  values = {}
  for name, spec in specs.items():
    shape = [1 if size is None else size for size in spec.shape]
    if name == "x" or name == "images":
      value = x
    elif name == "condition":
      value = labels if labels is not None else np.zeros([1], np.int32)
    elif name == "z":
      value = _latent(model, x, labels, shape, rng)
    elif name == "uniform":
      value = rng.uniform(size=shape)
    elif name == "observed":
      value = x[:, :max(1, x.shape[1] // 2)]
    elif spec.shape.rank == 0:
      value = saved_model_lib.example_inputs({name: spec}, batch_size=1)[name].numpy()
    else:
      value = rng.normal(size=shape)
    values[name] = np.asarray(value, spec.dtype.as_numpy_dtype)
  return values


def _latent(model, x, labels, shape, rng):
  """A VAE's posterior mean of x (what its decoder sees); standard normal noise otherwise."""
  if "encode" in model.served_functions() and hasattr(model, "latent_size"):
    encoded = model.encode(x, model.encode_condition(labels)) if model.num_conditions else \
        model.encode(x)
    return encoded.mean().numpy()
  return rng.normal(size=shape)


def _step_inputs(model, x, labels, num_examples):
  """The (previous, position, state) a sequence model's step meets on training sequences."""
  sequences = x.reshape(len(x), model.num_positions, model.element_size)
  records = []
  for index, sequence in enumerate(sequences):
    condition = None if labels is None else model.encode_condition(labels[index:index + 1])
    state = model.start_state(1)
    previous = np.zeros([1, model.element_size], np.float32)
    for position in range(model.num_positions):
      record = {"previous": previous, "position": np.array(position, np.int32)}
      record.update({f"state_{number}": leaf.numpy()
                     for number, leaf in enumerate(tf.nest.flatten(state))})
      if labels is not None:
        record["condition"] = labels[index:index + 1]
      records.append(record)
      _, state = model.next_params(tf.constant(previous), tf.constant(position), state, condition)
      previous = sequence[position][np.newaxis].astype(np.float32)
      if len(records) == num_examples:
        return records
  return records
