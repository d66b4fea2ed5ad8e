"""Every row of the bad-input inventory (tests/bad_inputs.py): exit 1, one clear line, no
traceback; and docs/bad_inputs.md is that inventory."""

import re

import numpy as np
import pytest
from PIL import Image

from tests import bad_inputs
from tests import cli_runner
from tests.conftest import REPO
from tests.export import tiny_runs


@pytest.fixture(scope="module")
def broken_files(tmp_path_factory):
  """A folder of files a user might pass by mistake."""
  files = tmp_path_factory.mktemp("files")
  (files / "broken_config.py").write_text("def get_config(:\n")
  (files / "truncated.npz").write_bytes(b"PK\x03\x04 not really a zip")
  (files / "empty.npz").write_bytes(b"")
  (files / "a_file").write_text("")
  (files / "photos").mkdir()
  (files / "photos" / "holiday.jpg").write_bytes(b"\xff\xd8 a photo")
  (files / "run_empty").mkdir()
  (files / "folder.png").mkdir()
  (files / "big_images").mkdir()
  Image.fromarray(np.zeros((16, 16), np.uint8)).save(files / "big_images" / "big.png")
  (files / "corrupt_images").mkdir()
  (files / "corrupt_images" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n cut short")
  np.savez(files / "out_of_range.npz", images=np.full((2, 8, 8, 1), 99, np.uint8))
  (files / "latin1.txt").write_bytes("Zoë and Chloë\n".encode("latin-1"))
  (files / "empty.txt").write_text("")
  (files / "truncated.bvh").write_text("HIERARCHY\nROOT Hips\n{\n  OFFSET 0 0\n")
  return files


@pytest.fixture(scope="module")
def runs(tmp_path_factory, motion_tiny_run, style_digits_run):
  folder = tmp_path_factory.mktemp("runs")
  return {"made": tiny_runs.made_run(folder / "made", hidden_units=(8,)),
          "names": tiny_runs.names_run(folder / "names"),
          "motion": motion_tiny_run[0], "style": style_digits_run}


@pytest.fixture(scope="module")
def results(broken_files, runs):
  """{mistake: result} of every command, run in one process (tests/cli_runner.py)."""
  places = dict(runs, files=str(broken_files))
  commands = [[argument.format(**places) for argument in command.argv]
              for command in bad_inputs.COMMANDS]
  env = {"TF_CPP_MIN_LOG_LEVEL": "2", "PATH": "/usr/bin:/bin", "HOME": str(broken_files)}
  outputs = cli_runner.run_commands(commands, env=env)
  return {command.mistake: output for command, output in zip(bad_inputs.COMMANDS, outputs)}


def test_the_inventory_has_fifty_distinct_mistakes():
  mistakes = [row.mistake for row in bad_inputs.COMMANDS + bad_inputs.CALLS]
  assert len(set(mistakes)) == len(mistakes) >= 50


@pytest.fixture(scope="module")
def api_scope():
  """What the CALLS rows see: a MADE on 8x8 digits with 17 levels, and two blank digits."""
  from apps.text_generation.vocabulary import Vocabulary  # pylint: disable=import-outside-toplevel
  from tfgen import data, heads  # pylint: disable=import-outside-toplevel
  from tfgen.models import MADE  # pylint: disable=import-outside-toplevel
  model = MADE((8, 8, 1), heads.get("categorical", num_values=17), hidden_units=[8])
  model.build((None, 8, 8, 1))
  return {"model": model, "heads": heads, "data": data, "Vocabulary": Vocabulary, "np": np,
          "x": np.zeros((2, 8, 8, 1), np.float32)}


@pytest.mark.parametrize("call", bad_inputs.CALLS, ids=lambda call: call.mistake)
def test_an_api_mistake_raises_a_named_error(call, api_scope):
  with pytest.raises(Exception) as raised:  # pylint: disable=broad-exception-raised
    eval(call.code, dict(api_scope))  # pylint: disable=eval-used  (the inventory's own code)
  assert type(raised.value).__name__ == call.error, raised.value
  assert re.search(call.pattern, str(raised.value)), str(raised.value)


@pytest.mark.parametrize("command", bad_inputs.COMMANDS, ids=lambda command: command.mistake)
def test_a_mistake_gets_one_clear_line(command, results):
  result = results[command.mistake]
  stderr = result["stderr"]
  assert result["exit_code"] == 1, result
  assert not result["traceback"], stderr[-3000:]
  assert re.search(command.pattern, stderr), stderr[-1500:]


def test_the_docs_table_is_the_inventory():
  with open(REPO / "docs" / "bad_inputs.md", encoding="utf-8") as handle:
    assert handle.read() == bad_inputs.markdown(), (
        "docs/bad_inputs.md differs from tests/bad_inputs.py; rewrite it with "
        "`python -m tests.bad_inputs > docs/bad_inputs.md`")
