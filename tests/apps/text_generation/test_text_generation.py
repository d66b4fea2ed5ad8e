"""The text-generation app: training on a corpus, streaming generation, and its errors."""

import math

import numpy as np
import pytest

from apps.text_generation import generate_lib
from apps.text_generation import train_lib
from apps.text_generation.vocabulary import Vocabulary
from tfgen import data

TINY = {"training.num_epochs": 1, "training.steps_per_epoch": 15, "data.sequence_length": 16,
        "model.hidden_units": 32, "model.num_layers": 1}


@pytest.fixture(scope="module")
def names_workdir(tmp_path_factory):
  workdir = str(tmp_path_factory.mktemp("names_rnn"))
  summary = train_lib.train("names", "rnn", workdir, TINY, verbose=0)
  assert summary["vocabulary_size"] == 53
  assert 0 < summary["valid_nats_per_char"] < math.log(53)  # Better than uniform after 15 steps.
  np.testing.assert_allclose(summary["valid_bits_per_char"],
                             summary["valid_nats_per_char"] / math.log(2), rtol=1e-3)
  return workdir


def test_generation_streams_and_repeats_with_a_seed(names_workdir):
  chunks = []
  text = generate_lib.generate(names_workdir, prompt="Ma", length=40, seed=3, on_text=chunks.append)
  assert chunks[0] == "Ma" and "".join(chunks[1:]) == text and len(text) == 40
  assert text == generate_lib.generate(names_workdir, prompt="Ma", length=40, seed=3)
  assert set(text) <= set(Vocabulary(data.load("names", "train")[1].vocabulary).characters)


def test_bad_requests_are_refused(names_workdir, tmp_path):
  with pytest.raises(ValueError, match=r"never saw: '@', 'é'"):
    generate_lib.generate(names_workdir, prompt="Ma@é", length=5)
  with pytest.raises(ValueError, match="--length must be > 0"):
    generate_lib.generate(names_workdir, length=0)
  with pytest.raises(ValueError, match="no such workdir"):
    generate_lib.generate(str(tmp_path / "nothing"), length=5)


def test_transformer_generates_past_its_context(tmp_path):
  workdir = str(tmp_path / "transformer")
  overrides = {"training.num_epochs": 1, "training.steps_per_epoch": 5, "data.sequence_length": 8,
               "model.width": 16, "model.num_layers": 1, "model.num_heads": 2}
  train_lib.train("names", "transformer", workdir, overrides, verbose=0)
  text = generate_lib.generate(workdir, prompt="Anna", length=30, seed=1)
  assert len(text) == 30  # 4 + 30 characters through a context of 8.


def test_corpus_errors(tmp_path):
  bad = tmp_path / "bad.txt"
  bad.write_bytes(b"abc\xffdef")
  with pytest.raises(data.DataError, match="not valid UTF-8 at byte offset 3"):
    train_lib.train(str(bad), "rnn", str(tmp_path / "run"), TINY)
  empty = tmp_path / "empty.txt"
  empty.write_text("")
  with pytest.raises(data.DataError, match="the corpus is empty"):
    train_lib.train(str(empty), "rnn", str(tmp_path / "run2"), TINY)
