"""`make demo` end to end, with one short epoch per model."""

import re

from demo import demo_lib


def test_demo_writes_a_report_with_numbers_and_pictures(tmp_path):
  # Every run one epoch of at most 10 steps: the whole demo, with barely trained models.
  report = demo_lib.run(str(tmp_path), num_epochs=1, steps_per_epoch=10)
  text = open(report, encoding="utf-8").read()
  for name in ("fvsbn_digits", "nade_digits", "made_digits", "pixel_cnn_digits"):
    assert f"tfgen/configs/{name}.py" in text
    assert (tmp_path / f"{name}_samples.png").stat().st_size > 0
  for picture in re.findall(r"\]\(([^)]+\.png)\)", text):
    assert (tmp_path / picture).exists(), picture
  nlls = [float(value) for value in re.findall(r"\| (\d+\.\d\d) \| \d\.\d{4} \|", text)]
  assert len(nlls) == 6 and all(0 < value < 200 for value in nlls)
  assert re.search(r"AUROC \d\.\d{3}", text)
  assert "Bernoulli naive Bayes" in text
  assert re.search(r"validation \(the last 10% of the shuffled names\):\n\d\.\d{3} nats/char", text)
  assert len(re.findall(r"^- \w+", text, flags=re.MULTILINE)) >= 1
  assert re.search(r"Test NLL by IWAE with k=100: \d+\.\d\d nats", text)  # 1000 in make demo
  for picture in ("vae_digits_manifold.png", "vae_digits_latent_scatter.png", "cvae_digits_classes.png",
                  "conditional_dcgan_digits_classes.png", "style_photos_translations.png"):
    assert picture in text
  assert len(re.findall(r"^\| (walking|running) \| (mixture density GRU|zero velocity) \|"
                        r"( \d+\.\d{3} \|){6}$", text, flags=re.MULTILINE)) == 4
  assert (tmp_path / "motion_walker_futures.gif").stat().st_size > 0
  quality = re.findall(r"^\| (DCGAN|conditional DCGAN \(given labels\)|VAE \(2-D latent\)) \| "
                       r"(\d+\.\d\d) \| (\d+\.\d\d) \|", text, flags=re.MULTILINE)
  assert len(quality) == 3 and all(float(fd) > 0 and 1 <= float(score) <= 10
                                   for _, fd, score in quality)
  phone = re.findall(r"^\| \[(\w+)\.tflite\]\(exported/\w+\.tflite\) \| ([\w, ]+) \| (\d\.\d\d) MB \|",
                     text, flags=re.MULTILINE)
  assert [name for name, _, _ in phone] == ["names_rnn", "vae_digits", "style_photos",
                                             "motion_walker"]
  for name, _, _ in phone:
    assert (tmp_path / "exported" / f"{name}.tflite").stat().st_size > 0
  difference = re.search(r"Keras forecaster's by at most\s+(\d\.\de[-+]\d\d) rad", text)
  assert difference and float(difference.group(1)) < 1e-3

