"""Training configs of the text-generation app, chosen from what the corpus is, not its name.

Two presets, picked by `choose_preset` from the corpus text:

  "small"  fewer than SMALL_CORPUS_CHARACTERS characters, or one short item a
           line (names, words): a small, regularised model (dropout, windows of
           128 characters, full passes, early stopping). A list of items is read
           as `lines:PATH`, shuffled before the 90/10 split like the census names.
  "large"  anything else (tiny Shakespeare): nanoGPT's CPU budget of 2000 steps
           of 12 windows of 64 characters, no dropout.
"""

import dataclasses
import statistics

from tfgen.configs import common

CORPORA = {
    # --corpus value: tfgen.data name (a path becomes text:PATH, or lines:PATH for a list).
    "names": "names",
    "tiny_shakespeare": "tiny_shakespeare",
}
# The large preset covers ~1.5M characters (2000 steps x 12 x 64); a corpus under a
# quarter of that would be seen more than 4 times, and overfits without regularisation.
SMALL_CORPUS_CHARACTERS = 400_000
# A list: at least this share of its non-empty lines are short items (<= 3 words, <= 40 characters).
ITEM_LINE_SHARE = 0.9


@dataclasses.dataclass(frozen=True)
class CorpusShape:
  """What the preset is chosen from."""
  num_characters: int
  num_lines: int
  median_line_length: float
  one_item_per_line: bool

  def describe(self):
    kind = "one item a line" if self.one_item_per_line else "running text"
    return (f"{self.num_characters:,} characters, {self.num_lines:,} non-empty lines "
            f"(median {self.median_line_length:g} characters): {kind}")


def corpus_shape(text):
  """The `CorpusShape` of a corpus's text (both splits)."""
  lines = [line.strip() for line in text.split("\n") if line.strip()]
  short = sum(len(line) <= 40 and len(line.split()) <= 3 for line in lines)
  return CorpusShape(
      num_characters=len(text), num_lines=len(lines),
      median_line_length=float(statistics.median(len(line) for line in lines)) if lines else 0.0,
      one_item_per_line=len(lines) >= 2 and short >= ITEM_LINE_SHARE * len(lines))


def choose_preset(shape):
  """"small" for a list of items or a small corpus, else "large"."""
  if shape.one_item_per_line or shape.num_characters < SMALL_CORPUS_CHARACTERS:
    return "small"
  return "large"


def data_name(corpus, shape=None):
  """The tfgen.data name of `corpus`; a file that is a list of items is read as lines:PATH."""
  if corpus in CORPORA:
    return CORPORA[corpus]
  if shape is not None and shape.one_item_per_line:
    return f"lines:{corpus}"
  return f"text:{corpus}"


def get_config(model, corpus, preset, shape=None):
  """Config for `model` ("rnn" or "transformer") on `corpus` under `preset` ("small" or "large").

  Args:
    shape: the corpus's `CorpusShape`, which decides how a file is read.
  """
  if preset not in ("small", "large"):
    raise ValueError(f"preset must be 'small' or 'large', got {preset!r}")
  config = common.base_config()
  config.data.name = data_name(corpus, shape)  # Corpus; a path reads any UTF-8 file.
  config.data.sequence_length = 64  # Characters per training window (the context length).
  config.data.batch_size = 12  # Windows per step (nanoGPT's CPU setting).
  config.head.name = "categorical"  # Softmax over the character vocabulary.
  if model == "rnn":
    config.model.name = "char_rnn"  # A tfgen.models.registry name.
    config.model.embedding_size = 64  # Character embedding size.
    config.model.hidden_units = 384  # Units of each GRU layer.
    config.model.num_layers = 2  # Stacked GRU layers.
    config.model.cell = "gru"  # "gru" or "lstm".
    config.model.dropout = 0.0  # Dropout between layers.
    config.optimizer.learning_rate = 3e-3  # Peak learning rate of Adam.
  elif model == "transformer":
    config.model.name = "transformer_lm"  # A tfgen.models.registry name.
    config.model.width = 128  # Model width (nanoGPT's CPU run: 128).
    config.model.num_layers = 4  # Transformer blocks (nanoGPT's CPU run: 4).
    config.model.num_heads = 4  # Attention heads per block.
    config.model.dropout = 0.0  # Dropout (nanoGPT's CPU run: 0).
    config.optimizer.learning_rate = 1e-3  # Peak learning rate of Adam (nanoGPT's CPU run).
    config.optimizer.warmup_steps = 100  # Linear warm-up.
  else:
    raise ValueError(f"--model must be 'rnn' or 'transformer', got {model!r}")
  config.optimizer.clipnorm = 1.0  # Gradient-norm clipping.
  config.training.num_epochs = 4  # 4 x 500 steps x 12 windows of 64: nanoGPT's 2000-step budget.
  config.training.steps_per_epoch = 500  # Steps per epoch over a reshuffled stream of windows.
  if preset == "small":
    # The census names are 33k training characters: a small, regularised model, full
    # passes, early stopping.
    config.data.sequence_length = 128  # About 18 names per window: few start without context.
    config.data.batch_size = 16  # Windows per step.
    config.model.dropout = 0.3  # Dropout (between GRU layers, or in the transformer).
    if model == "rnn":
      config.model.hidden_units = 256  # Units of each GRU layer.
    config.training.num_epochs = 30  # Full passes over the corpus.
    config.training.steps_per_epoch = 0  # One pass over the training windows per epoch.
    config.training.early_stopping_patience = 3  # Stop when validation stalls.
  return config
