"""Streams characters from a trained text model, with temperature, top-k and top-p."""

import numpy as np
import tensorflow as tf

from apps.text_generation.vocabulary import Vocabulary
from tfgen.heads import sampling
from tfgen.models.autoregressive.sequence_model import SequenceModel
from tfgen.training import run


def filter_logits(logits, temperature=1.0, top_k=0, top_p=1.0):
  """Logits [batch, V] divided by temperature, with all but the top-k / top-p mass set to -inf."""
  logits = logits / temperature
  if top_k and top_k < logits.shape[-1]:
    kth = tf.math.top_k(logits, k=top_k).values[:, -1:]
    logits = tf.where(logits < kth, -np.inf, logits)
  if top_p < 1.0:
    sorted_logits = tf.sort(logits, direction="DESCENDING", axis=-1)
    cumulative = tf.cumsum(tf.nn.softmax(sorted_logits, axis=-1), axis=-1)
    # Keep the smallest set whose mass reaches top_p (the first token always stays).
    keep = tf.concat([tf.ones_like(cumulative[:, :1], tf.bool), cumulative[:, :-1] < top_p], axis=-1)
    threshold = tf.reduce_min(tf.where(keep, sorted_logits, np.inf), axis=-1, keepdims=True)
    logits = tf.where(logits < threshold, -np.inf, logits)
  return logits


def load_text_model(workdir):
  """(model, vocabulary) of a text workdir, or a ValueError saying what is missing."""
  model, _, info = run.load_model(workdir)
  if not isinstance(model, SequenceModel) or not info.vocabulary:
    raise ValueError(f"{workdir}: not a text model (no character vocabulary)")
  return model, Vocabulary(info.vocabulary)


def generate(workdir, prompt="", length=500, temperature=1.0, top_k=0, top_p=1.0, seed=None,
             on_text=None):
  """Generates `length` characters after `prompt`; calls on_text(chunk) as they come.

  on_text first gets the prompt (once it is known to be valid), then each new
  character.

  Args:
    prompt: text to continue (every character must be in the vocabulary).
    length: characters to generate, > 0.
    temperature: > 0.
    top_k: keep the k likeliest characters (0 = all).
    top_p: keep the smallest set with probability >= top_p (1 = all).
    seed: int for repeatable output.
  Returns:
    the generated text (without the prompt).
  """
  if int(length) <= 0:
    raise ValueError(f"--length must be > 0, got {length}")
  if not temperature > 0:
    raise ValueError(f"--temperature must be > 0, got {temperature}")
  if not 0.0 < top_p <= 1.0:
    raise ValueError(f"--top_p must be in (0, 1], got {top_p}")
  if top_k < 0:
    raise ValueError(f"--top_k must be >= 0, got {top_k}")
  model, vocabulary = load_text_model(workdir)
  tokens = list(vocabulary.encode(prompt))
  if on_text is not None:
    on_text(prompt)
  step_fn = tf.function(model.next_params)
  context = model.context_length

  def feed(history):
    """Runs the model over `history` from a fresh state; returns (params, state, position)."""
    state, params = model.start_state(1), None
    previous = tf.zeros([1], tf.float32)
    for position in range(len(history) + 1):
      params, state = step_fn(previous, tf.constant(position), state)
      if position < len(history):
        previous = tf.constant([float(history[position])])
    return params, state, len(history)

  params, state, position = feed(tokens[-(context - 1):] if context else tokens)
  generated = []
  base_seed = None if seed is None else int(seed)
  for index in range(int(length)):
    logits = filter_logits(params, temperature, top_k, top_p)
    step_seed = None if base_seed is None else tf.constant([base_seed % 2**31, index])
    token = int(sampling.gumbel_argmax(logits, step_seed).numpy()[0])
    tokens.append(token)
    generated.append(token)
    if on_text is not None:
      on_text(vocabulary.decode([token]))
    position += 1
    if context and position >= context:
      # The context is full: restart the cache on the last half of the text.
      params, state, position = feed(tokens[-(context // 2):])
    else:
      params, state = step_fn(tf.constant([float(token)]), tf.constant(position), state)
  return vocabulary.decode(generated)
