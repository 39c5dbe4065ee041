"""Cases: the workflow of each complaint from opening until the resident is satisfied."""
