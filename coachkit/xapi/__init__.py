"""xAPI 1.0.3 statements about training (and, opted in, coaching) sent to an LRS."""
