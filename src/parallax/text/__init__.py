"""Text building blocks: sentences, entities, quotes, figures, dates (and embeddings).

Each module loads its heavy resources lazily; importing this package imports nothing heavy.
"""
