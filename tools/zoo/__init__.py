"""Starter zoo (issue 4): small text-conditioned diffusion experts trained on procedurally generated, captioned images."""
