"""Trains a character model on a corpus through tfgen's trainer, printing samples as it goes."""

import math

import keras

from apps.text_generation import configs
from apps.text_generation.vocabulary import Vocabulary
from tfgen import data
from tfgen.configs import common
from tfgen.training import distribution
from tfgen.training import evaluate_lib
from tfgen.training import train_lib


class SamplePrinter(keras.callbacks.Callback):
  """After each epoch: validation loss per character, and a few generated windows."""

  def __init__(self, vocabulary, sequence_length, num_samples=3, seed=0, print_fn=print):
    super().__init__()
    self.vocabulary = vocabulary
    self.sequence_length = sequence_length
    self.num_samples = num_samples
    self.seed = seed
    self.print_fn = print_fn

  def on_epoch_end(self, epoch, logs=None):
    if logs and "val_loss" in logs:
      per_char = logs["val_loss"] / self.sequence_length
      self.print_fn(f"validation: {per_char:.4f} nats/char, {per_char / math.log(2):.4f} bits/char")
    samples = self.model.sample(self.num_samples, seed=self.seed + epoch).numpy().astype(int)
    for sample in samples:
      self.print_fn("  sample: " + repr(self.vocabulary.decode(sample)))


def choose_config(corpus, model="rnn", preset="auto", print_fn=print):
  """The app's config for `corpus`; preset "auto" is chosen from the corpus text. Prints the choice."""
  train_text, valid_text, _ = data.load_text(configs.data_name(corpus))
  shape = configs.corpus_shape(train_text + valid_text)
  chosen = configs.choose_preset(shape) if preset == "auto" else preset
  config = configs.get_config(model, corpus, chosen, shape)
  how = "chosen from the corpus" if preset == "auto" else "as asked"
  print_fn(f"corpus {corpus}: {shape.describe()}; preset {chosen!r} {how} (data {config.data.name}, "
           f"windows of {config.data.sequence_length}, dropout {config.model.dropout}, "
           + ("early stopping)" if config.training.early_stopping_patience else
              f"{config.training.num_epochs} x {config.training.steps_per_epoch} steps)"))
  return config


def train(corpus, model="rnn", workdir="runs/text", overrides=None, verbose="auto",
          preset="auto", overwrite=False):
  """Trains (or resumes) a character model; returns the validation nats and bits per character.

  Args:
    corpus: "names", "tiny_shakespeare" (TFDS) or a path to any UTF-8 text file
      (a file of one item a line, such as a list of names, is shuffled by line
      before the split).
    model: "rnn" or "transformer".
    workdir: run folder; it keeps the vocabulary (vocabulary.json) and everything
      `tfgen.train` writes.
    overrides: {config field: value}, e.g. {"training.num_epochs": 1, "seed": 3}.
    verbose: as for `tfgen.training.train_lib.train`; 0 also silences the preset line.
    preset: "auto" (chosen from the corpus, see `configs`), "small" or "large".
    overwrite: delete the run already in `workdir` and start afresh (a folder that
      is not a workdir is refused).
  """
  with distribution.process_workdir(workdir, distribution.requested(overrides),
                                    overwrite) as run_dir:
    return _train(corpus, model, run_dir, overrides, verbose, preset, overwrite)


def _train(corpus, model, run_dir, overrides, verbose, preset, overwrite):
  """`train` writing to `run_dir`: the workdir, or a non-chief worker's copy of it."""
  config = choose_config(corpus, model, preset, print_fn=print if verbose else (lambda _: None))
  common.apply_overrides(config, overrides)
  _, info = data.load(config.data.name, "train", batch_size=config.data.batch_size,
                      path=config.data.path or None, sequence_length=config.data.sequence_length)
  vocabulary = Vocabulary(info.vocabulary)
  run_dir.create(overwrite=overwrite)
  run_dir.write_vocabulary(info.vocabulary)
  printer = SamplePrinter(vocabulary, config.data.sequence_length, seed=config.seed)
  train_lib.train(config, run_dir, verbose=verbose, extra_callbacks=[printer])
  result = evaluate_lib.evaluate(run_dir.path, "valid")
  nats = result["nll_nats"] / config.data.sequence_length
  summary = {"corpus": corpus, "model": model, "valid_nats_per_char": round(nats, 4),
             "valid_bits_per_char": round(nats / math.log(2), 4),
             "valid_characters": result["num_examples"] * config.data.sequence_length,
             "vocabulary_size": len(vocabulary)}
  run_dir.write_text_summary(summary)
  return summary
