"""Synthetic training sentences that counter known gaps of the open data.

The open sources rarely contain (a) neutral or positive statements that mention
a group, (b) negated or condemning statements, or (c) threats and dehumanising
comparisons phrased without swear words. These templates add a few hundred of
each (Dixon et al. 2018 style debiasing). They are deliberately worded
differently from the behaviour suite used for evaluation, which is written
separately so it measures generalisation, not recall of templates.
"""

from __future__ import annotations

import itertools
import random

from .data import Example, _labels

GROUPS_SG = (
    "gay",
    "lesbian",
    "bisexual",
    "trans",
    "Muslim",
    "Jewish",
    "Christian",
    "Black",
    "white",
    "Asian",
    "Latino",
    "Mexican",
    "Arab",
    "immigrant",
    "disabled",
    "deaf",
    "Hindu",
    "Sikh",
    "atheist",
    "Chinese",
    "Indian",
    "African",
    "Catholic",
    "queer",
)
GROUPS_PL = (
    "gay people",
    "lesbians",
    "Muslims",
    "Jews",
    "Christians",
    "Black people",
    "white people",
    "Asians",
    "Latinos",
    "Mexicans",
    "Arabs",
    "immigrants",
    "refugees",
    "migrants",
    "disabled people",
    "women",
    "trans people",
    "Hindus",
    "Sikhs",
    "atheists",
    "Africans",
    "Catholics",
    "foreigners",
    "Chinese people",
)
_NEUTRAL_SG = (
    "I am a {g} {p} and I vote in every election.",
    "As a {g} {p}, I think the council got this one right.",
    "My sister is {g} and she teaches at the local school.",
    "Being {g} has nothing to do with this zoning dispute.",
    "The {g} {p} who wrote this letter makes a fair point.",
    "I'm {g}, and proud of my family.",
    "Our new mayor is {g}, which is not news.",
)
_NEUTRAL_PL = (
    "{G} have lived in this valley for generations.",
    "Many {G} volunteered at the shelter last winter.",
    "{G} deserve the same rights and respect as everyone else.",
    "The article interviews several {G} about housing costs.",
    "I don't hate {G}; I disagree with this policy.",
    "I have nothing against {G} at all.",
    "{G} are not criminals and should not be treated like them.",
    "Nobody should be attacked for being one of the {G}.",
    "Calling {G} 'animals' is disgusting and has no place here.",
    "It is wrong to say that {G} are vermin.",
)
_THREATS = (
    "{T} should be {V} for what they did.",
    "Someone needs to {v} {T} before it is too late.",
    "I hope {T} get {V} soon.",
    "{T} deserve to be {V}, every single one.",
    "If I see {T} again I will {v} them.",
    "We will find where {T} live and {v} them.",
)
_TARGETS = (
    "people like you",
    "these politicians",
    "the judge",
    "you",
    "that reporter",
    "the protesters",
    "those {G}",
)
_VIOLENCE = (
    ("shoot", "shot"),
    ("hang", "hanged"),
    ("kill", "killed"),
    ("burn", "burned"),
    ("beat", "beaten"),
    ("stab", "stabbed"),
    ("execute", "executed"),
)
_DEHUMANISE = (
    "{G} are {D} and should be treated as such.",
    "Those {G} are nothing but {D}.",
    "{G} breed like {D}.",
    "This country is infested with {G}, they are {D}.",
)
_DEHUMANISING = (
    "vermin",
    "rats",
    "parasites",
    "cockroaches",
    "animals",
    "a disease",
    "savages",
    "an infestation",
    "subhuman",
)


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        g=rng.choice(GROUPS_SG),
        p=rng.choice(("woman", "man", "person", "teacher", "nurse")),
        G=rng.choice(GROUPS_PL),
        D=rng.choice(_DEHUMANISING),
    )


def _threat(template: str, rng: random.Random) -> str:
    v, vpp = rng.choice(_VIOLENCE)
    target = rng.choice(_TARGETS).format(G=rng.choice(GROUPS_PL))
    text = template.format(T=target, V=vpp, v=v)
    return text[0].upper() + text[1:]


def examples(seed: int = 0, per_template: int = 40) -> list[Example]:
    """Deterministic synthetic examples (distinct texts only)."""
    rng = random.Random(seed)
    out: dict[str, Example] = {}
    clean = _labels(toxicity=0)
    for t in itertools.chain(_NEUTRAL_SG, _NEUTRAL_PL):
        for _ in range(per_template):
            text = _fill(t, rng)
            out.setdefault(text, Example(text, "augment", dict(clean), "a" + text))
    for t in _THREATS:
        for _ in range(per_template):
            text = _threat(t, rng)
            labels = _labels(toxicity=1, threat=1, severe_toxicity=1)
            out.setdefault(text, Example(text, "augment", labels, "a" + text))
    for t in _DEHUMANISE:
        for _ in range(per_template):
            text = _fill(t, rng)
            labels = _labels(toxicity=1, identity_attack=1, insult=1, threat=0)
            out.setdefault(text, Example(text, "augment", labels, "a" + text))
    return [out[k] for k in sorted(out)]
