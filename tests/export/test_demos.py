"""The phone demos: run without TensorFlow, and answer as the Keras models do."""

import json
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from apps.motion_prediction.forecaster import Forecaster
from export import tflite_lib
from export.demos import forecast_motion
from export.demos import generate_text
from export.demos import sample_images
from tests.conftest import REPO
from tfgen.training.workdir import Workdir

# Run in its own process, never imported here: it refuses TensorFlow imports where it loads.
SCRIPT = "tests.export.run_demos_without_tensorflow"


@pytest.fixture(scope="module")
def motion_run(motion_tiny_run, tmp_path_factory):
  workdir, _ = motion_tiny_run
  path = str(tmp_path_factory.mktemp("exported") / "motion.tflite")
  result = tflite_lib.export(workdir, path, print_fn=lambda _: None)
  # Every signature converts: log_prob by steps, forecast without a TensorArray.
  assert result["signatures"] == ["forecast", "initial_state", "log_prob", "sample",
                                  "sample_from_noise", "step"]
  return workdir, path


@pytest.fixture(scope="module")
def style_run(style_digits_run, tmp_path_factory):
  path = str(tmp_path_factory.mktemp("exported") / "style.tflite")
  tflite_lib.export(style_digits_run, path, print_fn=lambda _: None,
                    signature_keys=["translate_a2b"])
  return style_digits_run, path


def test_every_demo_runs_without_tensorflow(names_tflite, made_tflite, motion_run, style_run,
                                            tmp_path):
  picture = np.random.default_rng(0).integers(0, 256, (12, 20, 3), dtype=np.uint8)
  Image.fromarray(picture).save(tmp_path / "photo.png")
  observed = np.random.default_rng(1).normal(size=(6, 45)).astype(np.float32) * 0.1
  np.save(tmp_path / "observed.npy", observed)
  spec = [
      ["generate_text", [f"--model={names_tflite[0]}", "--prompt=Ma", "--length=12", "--seed=0",
                         f"--output={tmp_path / 'text.txt'}"]],
      ["sample_images", [f"--model={made_tflite[0]}", "--num_samples=5", "--seed=3",
                         f"--output={tmp_path / 'digits.png'}"]],
      ["translate_image", [f"--model={style_run[1]}", f"--input={tmp_path / 'photo.png'}",
                           f"--output={tmp_path / 'restyled.png'}"]],
      ["forecast_motion", [f"--model={motion_run[1]}",
                           f"--normalizer={motion_run[0]}/motion_normalizer.json",
                           f"--observed={tmp_path / 'observed.npy'}", "--num_frames=4",
                           f"--output={tmp_path / 'forecast.npy'}"]],
  ]
  done = subprocess.run([sys.executable, "-m", SCRIPT, json.dumps(spec)], cwd=REPO, text=True,
                        capture_output=True, timeout=300, check=False)
  assert done.returncode == 0, done.stderr[-2000:]
  assert done.stdout.strip().endswith("clean"), done.stdout[-500:]
  text = open(tmp_path / "text.txt").read()
  assert text.startswith("Ma") and len(text) == 14
  assert Image.open(tmp_path / "digits.png").size == (4 * (5 * 9 + 1), 4 * 9 + 4)
  restyled = np.asarray(Image.open(tmp_path / "restyled.png"), np.float64)
  assert restyled.shape == picture.shape[:2]  # The digits are greyscale.
  model, _, info = Workdir(style_run[0]).load_model()
  grey = np.asarray(Image.fromarray(picture).convert("L"), np.float32)
  scale = 255.0 / (info.num_values - 1)
  expected = model.translate(grey[np.newaxis, :, :, np.newaxis] / scale, "a2b")[0, ..., 0]
  assert np.max(np.abs(restyled - np.clip(np.round(expected.numpy() * scale), 0, 255))) <= 1
  forecaster, _ = Forecaster.from_workdir(motion_run[0])
  np.testing.assert_allclose(np.load(tmp_path / "forecast.npy"),
                             forecaster(observed[np.newaxis], 4)[0], atol=1e-4)


def test_drawn_images_replay_the_models_own_draws(made_run, made_tflite):
  images, num_values = sample_images.draw(made_tflite[0], num_samples=3, seed=7)
  model, _, _ = Workdir(made_run).load_model()
  noise = np.random.default_rng(7).uniform(size=(3,) + model.noise_shapes()["uniform"])
  np.testing.assert_array_equal(images, model.sample_from_noise(noise.astype(np.float32)).numpy())
  assert num_values == 17


def test_near_greedy_text_is_the_models_greedy_continuation(names_run, names_tflite):
  model, _, info = Workdir(names_run).load_model()
  text = generate_text.generate(names_tflite[0], "Ma", length=6, temperature=1e-4, seed=0)
  tokens = [info.vocabulary.index(char) for char in "Ma"]
  state, previous = model.start_state(1), 0.0
  for position in range(8):  # The prompt's 2 characters, then 6 argmax draws.
    params, state = model.next_params(tf.constant([[previous]]), tf.constant(position), state)
    if position >= 2:
      tokens.append(int(np.argmax(params.numpy()[0])))
    previous = float(tokens[position])
  assert text == "".join(info.vocabulary[token] for token in tokens)


def test_demo_errors_name_the_problem(names_tflite, made_tflite, motion_run, tmp_path):
  with pytest.raises(ValueError, match="characters the model never saw: '€'"):
    generate_text.generate(names_tflite[0], "M€")
  with pytest.raises(ValueError, match="is not a text model"):
    generate_text.generate(made_tflite[0], "a")
  with pytest.raises(ValueError, match="no such model file"):
    sample_images.draw(str(tmp_path / "missing.tflite"))
  with pytest.raises(ValueError, match="the model is unconditional"):
    sample_images.draw(made_tflite[0], label=2)
  with pytest.raises(ValueError, match=r"must be \[time, 45\] frames"):
    forecast_motion.forecast(motion_run[1], f"{motion_run[0]}/motion_normalizer.json",
                             np.zeros([5, 44]))
  (tmp_path / "bad.tflite").write_bytes(b"not a model")
  (tmp_path / "bad.json").write_text("{}")
  with pytest.raises(ValueError, match="not a TFLite model"):
    sample_images.draw(str(tmp_path / "bad.tflite"))
