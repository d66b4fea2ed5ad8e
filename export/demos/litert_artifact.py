"""A `python -m export --format=tflite` artifact: the LiteRT model and its JSON, no TensorFlow.

  artifact = LiteRTArtifact("exported/names_rnn.tflite")   # reads names_rnn.json beside it
  artifact.run("step", previous=..., position=..., state_0=...)   # {output name: array}
"""

import json
import os

import numpy as np
from ai_edge_litert import interpreter as litert


class LiteRTArtifact:
  """An exported .tflite file with its metadata, run signature by signature in LiteRT.

  Args:
    path: the .tflite file; its metadata (NAME.json) must sit beside it.

  Attributes:
    metadata: the JSON (event_shape, num_values, vocabulary, class_names,
      noise_shapes, signatures, ...).
  """

  def __init__(self, path):
    if not os.path.isfile(path):
      raise ValueError(f"{path}: no such model file (make one with python -m export "
                       f"--workdir=RUN --format=tflite --output=FOLDER)")
    metadata_path = os.path.splitext(path)[0] + ".json"
    try:
      with open(metadata_path) as handle:
        self.metadata = json.load(handle)
    except FileNotFoundError:
      raise ValueError(f"{metadata_path}: missing; python -m export writes it beside "
                       f"{os.path.basename(path)}") from None
    except json.JSONDecodeError as error:
      raise ValueError(f"{metadata_path}: corrupt JSON ({error})") from None
    try:
      self.interpreter = litert.Interpreter(model_path=path)
    except ValueError as error:
      raise ValueError(f"{path}: not a TFLite model ({error})") from None
    self._runners = {}

  @property
  def signatures(self):
    return sorted(self.interpreter.get_signature_list())

  def require(self, *keys):
    """The first of `keys` the model has; a ValueError naming what it has otherwise."""
    for key in keys:
      if key in self.interpreter.get_signature_list():
        return key
    raise ValueError(f"the model has none of the signatures {', '.join(keys)} "
                     f"(it has {', '.join(self.signatures)})")

  def run(self, key, **inputs):
    """Runs signature `key` on named numpy inputs: {output name: array}."""
    self.require(key)
    if key not in self._runners:
      self._runners[key] = self.interpreter.get_signature_runner(key)
    return self._runners[key](**inputs)

  def state_names(self, key="step"):
    """The state inputs of a step signature, in order (state_0, state_1, ...)."""
    names = self.interpreter.get_signature_list()[key]["inputs"]
    return sorted((name for name in names if name.startswith("state_")),
                  key=lambda name: int(name.split("_")[1]))

  def start_state(self):
    """{state_i: array} before the first element of one sequence (`initial_state`)."""
    out = self.run("initial_state", batch_size=np.array(1, np.int32))
    return {name: out[name] for name in self.state_names()}

  def step(self, previous, position, state, **extra):
    """One cached step: (outputs {"params", "mean", ...}, the state after it).

    Args:
      previous: [1, element_size] float32, the element at position - 1.
      position: the place of the element to predict.
      state: {state_i: array}, as `start_state` or the last step gave it.
    """
    out = self.run("step", previous=np.asarray(previous, np.float32),
                   position=np.array(position, np.int32), **state, **extra)
    return out, {name: out[name] for name in state}


def softmax_draw(logits, temperature, rng):
  """One index per row of logits [batch, K] at a temperature: [batch] int."""
  scaled = np.asarray(logits, np.float64) / float(temperature)
  scaled -= scaled.max(axis=-1, keepdims=True)
  probabilities = np.exp(scaled)
  probabilities /= probabilities.sum(axis=-1, keepdims=True)
  return np.array([rng.choice(len(row), p=row) for row in probabilities])
