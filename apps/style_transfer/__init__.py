"""Style transfer between two unpaired image domains with CycleGAN."""
