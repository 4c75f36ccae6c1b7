"""zhsearch: Chinese text tokenising (jieba + character bigrams) and scoring. Pure."""
from zhsearch.index import Index, score, token_weight
from zhsearch.tokenize import normalise, tokens

__all__ = ["Index", "normalise", "score", "token_weight", "tokens"]
