"""Trains a character model on a corpus through tfgen's trainer, printing samples as it goes."""

import math
import os

import keras

from apps.text_generation import configs
from apps.text_generation.vocabulary import Vocabulary
from tfgen import data
from tfgen.training import evaluate_lib
from tfgen.training import train_lib
from tfgen.utils import atomic


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


def train(corpus, model="rnn", workdir="runs/text", overrides=None, verbose=1):
  """Trains (or resumes) a character model; returns the validation nats and bits per character.

  Args:
    corpus: "names", "tiny_shakespeare" (TFDS) or a path to any UTF-8 text file.
    model: "rnn" or "transformer".
    workdir: run folder; it keeps the vocabulary (vocabulary.json) and everything
      `tfgen.train` writes.
    overrides: {config field: value}, e.g. {"training.num_epochs": 1, "seed": 3}.
  """
  config = configs.get_config(model, corpus)
  for key, value in (overrides or {}).items():
    *sections, field = key.split(".")
    target = config
    for section in sections:
      target = target[section]
    if field not in target:
      raise ValueError(f"unknown config field {key!r}")
    target[field] = value
  _, info = data.load(config.data.name, "train", batch_size=config.data.batch_size,
                      path=config.data.path or None, sequence_length=config.data.sequence_length)
  vocabulary = Vocabulary(info.vocabulary)
  os.makedirs(workdir, exist_ok=True)
  atomic.write_json(os.path.join(workdir, "vocabulary.json"), {"characters": info.vocabulary})
  printer = SamplePrinter(vocabulary, config.data.sequence_length, seed=config.seed)
  train_lib.train(config, workdir, verbose=verbose, extra_callbacks=[printer])
  result = evaluate_lib.evaluate(workdir, "valid")
  nats = result["nll_nats"] / config.data.sequence_length
  summary = {"corpus": corpus, "model": model, "valid_nats_per_char": round(nats, 4),
             "valid_bits_per_char": round(nats / math.log(2), 4),
             "valid_characters": result["num_examples"] * config.data.sequence_length,
             "vocabulary_size": len(vocabulary)}
  atomic.write_json(os.path.join(workdir, "text_summary.json"), summary)
  return summary

