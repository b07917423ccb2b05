"""Comment toxicity scoring for Agora: framework-free, numpy at runtime.

    from agora.toxicity import load
    model = load()                      # shipped artefact (cached); load(path) for others
    [result] = model.score(["people like you should be shot"])
    result.scores["threat"], result.spans, result.language, result.unsupported

See ``normalize`` for obfuscation-aware matching, ``perspective`` for the
Perspective API compatible request/response layer, ``cli`` for the commands.
"""

from .model import LABELS, Model, Result, Span, load

__all__ = ["LABELS", "Model", "Result", "Span", "load"]
