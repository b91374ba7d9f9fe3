"""Rating written answers, blind, by several raters."""
