"""An opening's candidates: adding and inviting them, decisions, deletion, comparison."""
