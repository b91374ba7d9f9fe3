"""The candidate's side: the exercise answered through an invite link, without an account."""
