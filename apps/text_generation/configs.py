"""Training configs of the text-generation app (one per model kind), built on tfgen's base config."""

from tfgen.configs import common

CORPORA = {
    # --corpus value: tfgen.data name (a path becomes text:PATH).
    "names": "names",
    "tiny_shakespeare": "tiny_shakespeare",
}


def get_config(model="rnn", corpus="names"):
  """Config for `model` ("rnn" or "transformer") on `corpus` (a name above or a file path)."""
  config = common.base_config()
  config.data.name = CORPORA.get(corpus, f"text:{corpus}")  # Corpus; a path reads any UTF-8 file.
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
  if corpus == "names":
    # 33k training characters: a small, regularised model, full passes, early stopping.
    config.data.sequence_length = 128  # About 18 names per window: few start without context.
    config.data.batch_size = 16  # Windows per step.
    config.model.dropout = 0.3  # Dropout (between GRU layers, or in the transformer).
    if model == "rnn":
      config.model.hidden_units = 256  # Units of each GRU layer.
    config.training.num_epochs = 30  # Full passes over the names.
    config.training.steps_per_epoch = 0  # One pass over the training windows per epoch.
    config.training.early_stopping_patience = 3  # Stop when validation stalls.
  return config
