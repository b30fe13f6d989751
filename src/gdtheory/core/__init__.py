"""Mathematics shared by chapters: angles, kernels, quadrature, samplers, ODEs.

Never imports the record or pipeline layers, matplotlib or the book machinery.
"""
