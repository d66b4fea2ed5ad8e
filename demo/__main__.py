r"""Trains MADE on the embedded digits, evaluates, samples, and writes a report.

  python -m demo --workdir=runs/demo [--num_epochs=N]
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags

_WORKDIR = flags.DEFINE_string("workdir", "runs/demo", "Folder for the runs and the report.")
_NUM_EPOCHS = flags.DEFINE_integer("num_epochs", None, "Override the configs' epochs (quick runs).")


def main(argv):
  del argv
  from demo import demo_lib  # pylint: disable=import-outside-toplevel
  report = binary.run_main("demo", lambda: demo_lib.run(_WORKDIR.value, _NUM_EPOCHS.value))
  print(f"report: {report}")


if __name__ == "__main__":
  app.run(main)
