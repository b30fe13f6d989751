"""Data sets shared by chapters: the 8×8 digits."""
