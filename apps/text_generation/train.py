r"""Trains a character-level model on a text corpus.

  python -m apps.text_generation.train --corpus=names --model=rnn --workdir=runs/names_rnn
  python -m apps.text_generation.train --corpus=../shared/data/tinyshakespeare.txt \
      --model=transformer --workdir=runs/shakespeare_transformer

The last 10% of the text is validation; the vocabulary is saved in the workdir.
The training preset is chosen from the corpus and printed (--preset=small|large
overrides it). Rerun the same command to resume.
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags

_CORPUS = flags.DEFINE_string("corpus", "names", "names, tiny_shakespeare (TFDS) or a text file.")
_MODEL = flags.DEFINE_enum("model", "rnn", ["rnn", "transformer"], "Model kind.")
_WORKDIR = flags.DEFINE_string("workdir", None, "Run folder.")
_PRESET = flags.DEFINE_enum("preset", "auto", ["auto", "small", "large"],
                            "Training preset; auto chooses it from the corpus (and prints it).")
_EPOCHS = flags.DEFINE_integer("num_epochs", None, "Override the number of epochs.")
_STEPS = flags.DEFINE_integer("steps_per_epoch", None, "Override the steps per epoch.")
_SEED = flags.DEFINE_integer("seed", None, "Override the training seed.")
_SET = flags.DEFINE_multi_string(
    "set", [], "Config overrides section.field=VALUE, e.g. --set=training.distribution=mirrored "
    "(fields: tfgen/configs/common.py and apps/text_generation/configs.py).")
_OVERWRITE = flags.DEFINE_bool("overwrite", False, "Delete the run already in the workdir, "
                                "whatever its config, and start afresh.")
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  from apps.text_generation import train_lib  # pylint: disable=import-outside-toplevel
  from tfgen.configs import common  # pylint: disable=import-outside-toplevel
  overrides = binary.run_main("apps.text_generation.train",
                              lambda: common.parse_overrides(_SET.value))
  overrides.update({key: value for key, value in (("training.num_epochs", _EPOCHS.value),
                                                  ("training.steps_per_epoch", _STEPS.value),
                                                  ("seed", _SEED.value)) if value is not None})
  summary = binary.run_main("apps.text_generation.train", lambda: train_lib.train(
      _CORPUS.value, _MODEL.value, _WORKDIR.value, overrides, preset=_PRESET.value,
      overwrite=_OVERWRITE.value))
  print(f"validation: {summary['valid_nats_per_char']:.4f} nats/char, "
        f"{summary['valid_bits_per_char']:.4f} bits/char ({summary['valid_characters']} characters)")


if __name__ == "__main__":
  app.run(main)
