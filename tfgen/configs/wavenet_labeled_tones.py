"""WaveNet with global conditioning on generated tones labeled by waveform (sine, square, sawtooth).

  python -m tfgen.train --config=tfgen/configs/wavenet_labeled_tones.py --workdir=runs/wavenet_labeled_tones
  python -m tfgen.sample --workdir=runs/wavenet_labeled_tones --label=square --num_samples=2 \
      --output=square.wav
  (for your own audio: --config.data.name=wav:FOLDER with one subfolder of WAV files per class,
  and --config.model.num_conditions set to the number of subfolders)
"""

from tfgen.configs import wavenet_tones


def get_config():
  config = wavenet_tones.get_config()
  config.data.with_labels = True  # Each window comes with its waveform's label.
  config.model.num_conditions = 3  # sine, square, sawtooth.
  return config
