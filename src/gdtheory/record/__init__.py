"""What an executing chapter writes: the claims ledger, figures, provenance, glue, runtimes."""
