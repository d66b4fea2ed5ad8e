"""The text app chooses its preset from what the corpus is, not from its name."""

import pytest

from apps.text_generation import configs
from apps.text_generation import train_lib
from tfgen import data


def shape_of(name):
  train, valid, _ = data.load_text(name)
  return configs.corpus_shape(train + valid)


def test_census_names_get_the_small_preset_as_before():
  shape = shape_of("names")
  assert shape.one_item_per_line and shape.num_characters < 50_000
  assert configs.choose_preset(shape) == "small"
  config = configs.get_config("rnn", "names", "small", shape)
  assert config.data.name == "names"
  assert (config.data.sequence_length, config.data.batch_size, config.model.dropout,
          config.model.hidden_units, config.training.num_epochs,
          config.training.steps_per_epoch, config.training.early_stopping_patience) == (
              128, 16, 0.3, 256, 30, 0, 3)


def test_tiny_shakespeare_gets_the_large_preset(shared_data):
  path = str(shared_data / "tinyshakespeare.txt")
  shape = shape_of(f"text:{path}")
  assert not shape.one_item_per_line and shape.num_characters > configs.SMALL_CORPUS_CHARACTERS
  assert configs.choose_preset(shape) == "large"
  config = configs.get_config("transformer", path, "large", shape)
  assert config.data.name == f"text:{path}" and config.model.dropout == 0.0
  assert (config.training.num_epochs, config.training.steps_per_epoch) == (4, 500)


def test_a_users_list_of_names_is_read_as_a_shuffled_list_with_the_small_preset(tmp_path):
  path = tmp_path / "surnames.txt"
  path.write_text("\n".join(f"Name{chr(97 + index % 26)}{index}" for index in range(3000)) + "\n")
  printed = []
  config = train_lib.choose_config(str(path), "rnn", print_fn=printed.append)
  assert config.data.name == f"lines:{path}"
  assert config.model.dropout == 0.3 and config.training.early_stopping_patience == 3
  assert len(printed) == 1 and "one item a line; preset 'small' chosen from the corpus" in printed[0]
  config = train_lib.choose_config(str(path), "rnn", preset="large", print_fn=printed.append)
  assert config.data.name == f"lines:{path}" and config.model.dropout == 0.0
  assert "preset 'large' as asked" in printed[1]


def test_small_running_text_is_regularised_but_kept_in_order(tmp_path):
  path = tmp_path / "story.txt"
  path.write_text("It was a dark and stormy night; the rain fell in torrents.\n" * 300)
  shape = shape_of(f"text:{path}")
  assert not shape.one_item_per_line
  config = configs.get_config("rnn", str(path), configs.choose_preset(shape), shape)
  assert config.data.name == f"text:{path}" and config.model.dropout == 0.3


def test_unknown_preset_is_refused():
  with pytest.raises(ValueError, match="preset must be 'small' or 'large'"):
    configs.get_config("rnn", "names", "medium")
