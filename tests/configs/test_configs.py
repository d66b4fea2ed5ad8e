"""Every config builds its model, and every field it sets carries a comment."""

import importlib
import pathlib
import re

import pytest

from tfgen import data
from tfgen import models

CONFIG_DIR = pathlib.Path(__file__).resolve().parents[2] / "tfgen" / "configs"
CONFIGS = sorted(path.stem for path in CONFIG_DIR.glob("*.py")
                 if path.stem not in ("__init__", "common"))
SHAPES = {"binarized_mnist": ((28, 28, 1), 2), "digits": ((8, 8, 1), 17),
          "binarized_digits": ((8, 8, 1), 2), "photo_patches": ((8, 8, 3), 256)}


@pytest.mark.parametrize("name", CONFIGS)
def test_config_builds_its_model(name):
  config = importlib.import_module(f"tfgen.configs.{name}").get_config()
  if config.data.name in SHAPES:
    shape, num_values = SHAPES[config.data.name]
  else:  # Sequences: windows of sequence_length values.
    shape, num_values = (config.data.sequence_length,), 256
  info = data.DatasetInfo(name=config.data.name, split="train", shape=shape,
                          num_values=num_values, num_examples=1)
  model = models.build(config.model, config.head, info)
  model.build((None,) + shape)
  assert model.event_shape == shape


@pytest.mark.parametrize("path", sorted(CONFIG_DIR.glob("*.py")), ids=lambda path: path.stem)
def test_every_field_has_a_comment(path):
  for number, line in enumerate(path.read_text().splitlines(), 1):
    if re.match(r"\s+config(\.\w+)+ = ", line) and "ConfigDict()" not in line:
      assert "#" in line, f"{path.name}:{number} has no comment: {line.strip()}"


def test_overrides_parse_literals_and_refuse_unknown_fields():
  from tfgen.configs import common  # pylint: disable=import-outside-toplevel
  overrides = common.parse_overrides(["model.identity_weight=0", "data.domain_a=photos/",
                                      "data.flip=False"])
  assert overrides == {"model.identity_weight": 0, "data.domain_a": "photos/", "data.flip": False}
  config = common.base_config()
  common.apply_overrides(config, {"training.num_epochs": 3})
  assert config.training.num_epochs == 3
  for bad in ({"training.no_such_field": 1}, {"nowhere.field": 1}):
    with pytest.raises(ValueError, match="unknown config field"):
      common.apply_overrides(config, bad)
  with pytest.raises(ValueError, match="section.field=VALUE"):
    common.parse_overrides(["identity_weight"])
