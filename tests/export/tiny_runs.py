"""Trained workdirs of tiny models for the export tests (a few training steps each)."""

from apps.text_generation import configs as text_configs
from tfgen.configs import made_digits
from tfgen.training import train_lib


def made_run(workdir, hidden_units=(16,)):
  """A MADE on the digits: likelihood signatures only (none converts to TFLite)."""
  config = made_digits.get_config()
  config.model.hidden_units = hidden_units
  config.training.num_epochs = 1
  config.training.steps_per_epoch = 2
  train_lib.train(config, str(workdir), verbose=0)
  return str(workdir)


def names_run(workdir, hidden_units=8, embedding_size=4):
  """A GRU char-RNN on the census names: a sequence model with a cached step."""
  config = text_configs.get_config("rnn", "names", "small")
  config.model.hidden_units = hidden_units
  config.model.embedding_size = embedding_size
  config.training.num_epochs = 1
  config.training.steps_per_epoch = 2
  train_lib.train(config, str(workdir), verbose=0)
  return str(workdir)
