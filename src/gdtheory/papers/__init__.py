"""Code named after one paper's statements, one subpackage per paper.

Papers never import each other.
"""
