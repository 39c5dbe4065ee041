"""careloop surveys: satisfaction surveys, samples, responses and targets."""
