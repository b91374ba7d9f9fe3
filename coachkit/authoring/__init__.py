"""Authors check and play content files in a preview that records nothing."""
