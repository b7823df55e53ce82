"""Developer tooling on the public engine API: gold labels (gold), scoring (evaluate), speed (bench)."""
