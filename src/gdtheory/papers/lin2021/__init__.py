"""Code named after the statements of Lin, Sun & Zhang (2021); chapter ``ch-lin2021``."""
