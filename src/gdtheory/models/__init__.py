"""Model families shared by chapters: logistic, deep linear, two-layer ReLU."""
