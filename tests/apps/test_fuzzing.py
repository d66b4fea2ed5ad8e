"""Fuzzing the apps' parsers (BVH, expmap CSV, images, vocabularies): a result or a clear error."""

import io

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from apps.motion_prediction import bvh, expmap_files
from apps.style_transfer import image_domains
from apps.text_generation.vocabulary import Vocabulary
from tests.fuzzing import PARSER_FUZZ, mutated, parsed, write

VALID_BVH = """HIERARCHY
ROOT Hips
{
  OFFSET 0.0 0.0 0.0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
  JOINT Knee
  {
    OFFSET 0.0 -1.0 0.0
    CHANNELS 3 Zrotation Xrotation Yrotation
    End Site
    {
      OFFSET 0.0 -1.0 0.0
    }
  }
}
MOTION
Frames: 2
Frame Time: 0.04
0 1 0 0 0 0 10 0 0
0 1 0 5 0 0 20 0 0
""".encode()


def valid_png():
  buffer = io.BytesIO()
  Image.fromarray(np.arange(48, dtype=np.uint8).reshape(4, 4, 3)).save(buffer, format="PNG")
  return buffer.getvalue()


def test_the_valid_bvh_parses(fuzz_folder):
  parsed = bvh.read_bvh(write(fuzz_folder, "valid.bvh", VALID_BVH))
  assert parsed.joint_names[:2] == ["Hips", "Knee"] and parsed.frames.shape == (2, 9)


@PARSER_FUZZ
@given(content=mutated(VALID_BVH))
def test_bvh_files(fuzz_folder, content):
  clip = parsed(bvh.read_bvh, fuzz_folder, "clip.bvh", content)
  assert clip is None or clip.frames.ndim == 2


@PARSER_FUZZ
@given(lines=st.lists(st.lists(st.one_of(st.floats(width=32), st.text(max_size=4)), max_size=5),
                      max_size=5))
def test_expmap_csv_files(fuzz_folder, lines):
  clip = parsed(lambda path: expmap_files.read_clip(path, 3), fuzz_folder, "clip.txt",
                "\n".join(",".join(map(str, line)) for line in lines))
  assert clip is None or (clip.dtype == np.float32 and clip.shape[1:] == (3,)
                          and np.all(np.isfinite(clip)))


@PARSER_FUZZ
@given(content=mutated(valid_png()))
def test_image_files(fuzz_folder, content):
  picture = parsed(image_domains.read_image, fuzz_folder, "photo.png", content)
  assert picture is None or (picture.size[0] >= 1 and picture.size[1] >= 1)


@PARSER_FUZZ
@given(characters=st.text(min_size=1, max_size=20), text=st.text(max_size=40))
def test_vocabularies_encode_what_they_know_and_name_what_they_do_not(characters, text):
  vocabulary = Vocabulary("".join(sorted(set(characters))))
  try:
    ids = vocabulary.encode(text)
  except ValueError as error:
    assert "never saw" in str(error)
    assert set(text) - set(characters)
    return
  assert vocabulary.decode(ids) == text
