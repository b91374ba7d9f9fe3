"""Training: employees practise branching customer conversations."""
