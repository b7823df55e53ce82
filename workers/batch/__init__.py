"""Batch mode: the pages a batch reads (sources), the two ways to run them (runners), the results file."""
