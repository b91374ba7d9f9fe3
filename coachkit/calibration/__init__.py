"""Coaching calibration: managers rate the same conversation blind, then compare."""
