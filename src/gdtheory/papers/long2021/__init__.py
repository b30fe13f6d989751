"""Code named after the statements of Long, Yin & Xin (2021); chapter ``ch-long2021``."""
