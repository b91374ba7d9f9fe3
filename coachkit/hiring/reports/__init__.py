"""An opening's reports: rater agreement, exercise quality and fairness."""
