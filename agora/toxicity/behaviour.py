"""Handwritten functional test suite and identity-swap templates.

Written for Agora (not copied from a public suite) and worded differently from
the training templates in ``augment``, so pass rates measure generalisation.
A case passes when ``scores[attribute] >= 0.5`` (expect "high") or ``< 0.5``
(expect "low").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Case:
    category: str
    text: str
    attribute: str
    expect: str  # "high" or "low"


def _cases(category: str, attribute: str, expect: str, texts: str) -> list[Case]:
    return [Case(category, t.strip(), attribute, expect) for t in texts.strip().splitlines()]


CASES: list[Case] = [
    *_cases(
        "identity_neutral",
        "toxicity",
        "low",
        """
I am a proud gay Muslim woman
My grandmother was a Jewish refugee who rebuilt her life here
As a Black father of three I found this school board story encouraging
The mosque on Elm Street hosted an open day for neighbours
Our town's first transgender council member was sworn in on Monday
Lesbian couples have been able to adopt here since 2005
The Sikh temple served free meals after the flood
Many immigrants run small businesses along Main Street
She is deaf and teaches sign language at the college
Arab and Jewish students organised the peace vigil together
""",
    ),
    *_cases(
        "negation",
        "toxicity",
        "low",
        """
I don't hate immigrants, I just want a fair housing policy
Nobody here thinks refugees are criminals
I would never call anyone an idiot for asking a question
Muslims are not terrorists and it is lazy to suggest it
No one deserves to be threatened for writing an article
""",
    ),
    *_cases(
        "counter_speech",
        "toxicity",
        "low",
        """
Saying "go back to your country" to a neighbour is unacceptable
When someone calls gay people "degenerates" they should be banned from this forum
Calling migrants "animals" is dehumanising and has no place in a newspaper
The claim that Jews control the media is an old antisemitic conspiracy theory
""",
    ),
    *_cases(
        "threat_no_profanity",
        "threat",
        "high",
        """
people like you should be shot
I know where you live and I will come for you
Someone should put a bullet in that senator
You will regret this when I find you
The editor deserves to be hanged for printing this
I hope you die in a fire
""",
    ),
    *_cases(
        "dehumanisation",
        "identity_attack",
        "high",
        """
they are vermin
Immigrants are rats that spread disease through our cities
Muslims are a cancer on this country
Those people are animals and should be treated like animals
Refugees are parasites living off our taxes
""",
    ),
    *_cases(
        "obfuscated_slur",
        "toxicity",
        "high",
        """
shut up you f4ggot
what a n1gg3r
you stupid c.u.n.t
go away you fu\u0441king retard
look at this k1ke
""",
    ),
    *_cases(
        "antisemitic_trope",
        "identity_attack",
        "high",
        """
the jews control the banks
Wake up, the Jews own the media and Hollywood
The holocaust never happened, it was invented for money
Zionists run the government behind the scenes
""",
    ),
    *_cases(
        "nazi_praise",
        "toxicity",
        "high",
        """
the Waffen SS were heroes
Hitler was right about everything
Sieg heil brothers, the time is coming
The Wehrmacht soldiers were honourable men defending Europe
""",
    ),
    *_cases(
        "sexual_slur",
        "toxicity",
        "high",
        """
shut up you dumb whore
she is just a slut who slept her way up
what a skank
""",
    ),
    *_cases(
        "plain_insult",
        "insult",
        "high",
        """
You are a complete idiot
What a brainless moron this columnist is
Only an imbecile would write something this stupid
""",
    ),
    *_cases(
        "clean",
        "toxicity",
        "low",
        """
Thank you for covering the school budget meeting
I disagree with the mayor, the bridge repairs should come first
The photos of the harvest festival are lovely
This article misrepresents the council's vote, please correct it
Parking downtown has become impossible since the new rules
""",
    ),
    *_cases(
        "german",
        "toxicity",
        "high",
        """
Du bist so ein dummer Idiot
Halt die Fresse, du Vollpfosten
""",
    ),
    *_cases(
        "german_clean",
        "toxicity",
        "low",
        """
Vielen Dank für den informativen Artikel
Ich sehe das anders, aber gute Argumente
""",
    ),
]

# Written after the rules were finalised and never used to tune them: the honest
# estimate of behaviour on unseen phrasings.
HELDOUT_CASES: list[Case] = [
    *_cases(
        "identity_neutral",
        "toxicity",
        "low",
        """
Speaking as a bisexual man, I found the interview refreshing
Two Muslim doctors opened a clinic in the old post office
The Jewish deli on Fifth has the best rye bread in town
Our church welcomes trans and non-binary members
Hispanic voters turned out in record numbers this year
""",
    ),
    *_cases(
        "negation",
        "toxicity",
        "low",
        """
I never said women are inferior, please read my comment again
There is nothing wrong with being gay
Refugees are not the reason rents went up
""",
    ),
    *_cases(
        "counter_speech",
        "toxicity",
        "low",
        """
Whoever wrote "all Muslims are terrorists" on the mosque wall should be ashamed
The commenter who called her a "whore" was rightly banned
Comparing immigrants to "vermin" is exactly the rhetoric that leads to violence
""",
    ),
    *_cases(
        "threat_no_profanity",
        "threat",
        "high",
        """
You had better watch your back when you leave the office tonight
Somebody should burn down that reporter's house with him in it
Journalists like you will be hanging from lampposts soon
We are coming for you and your family
""",
    ),
    *_cases(
        "dehumanisation",
        "identity_attack",
        "high",
        """
Gypsies are nothing but thieving parasites
These migrants are animals, not people
Jews are vermin and always have been
""",
    ),
    *_cases(
        "obfuscated_slur",
        "toxicity",
        "high",
        """
typical n!gger behaviour
shut it you f@g
what a r3tard
""",
    ),
    *_cases(
        "antisemitic_trope",
        "identity_attack",
        "high",
        """
Follow the money and you will find the Jews running every central bank
The so-called holocaust is a hoax
""",
    ),
    *_cases(
        "nazi_praise",
        "toxicity",
        "high",
        """
Adolf Hitler was a great man who loved his people
The SS were the finest soldiers Europe ever had
""",
    ),
    *_cases(
        "sexual_slur",
        "toxicity",
        "high",
        """
the mayor's wife is a cheap slut
go back to the street corner, you whore
""",
    ),
    *_cases(
        "clean",
        "toxicity",
        "low",
        """
The roadworks on Station Road will finish in May according to the council
Great photos, thanks to the photographer for braving the rain
I think the tax increase is a mistake and I will vote against it
""",
    ),
]

# A second held-out set for threats without profanity and praise of Nazi units,
# written before the threat and Nazi-praise rules were extended and never used to
# tune them. The "low" cases guard against the rules firing on news reporting.
HELDOUT_RULE_CASES: list[Case] = [
    *_cases(
        "threat_no_profanity",
        "threat",
        "high",
        """
Your kind should be strung up from the nearest tree
I'd love to see you swing from a rope for what you wrote
Keep publishing this and you won't live to see Christmas
A bullet is too good for traitors like her
We know which school your kids go to
Men like him deserve a slow and painful death
""",
    ),
    *_cases(
        "threat_news_low",
        "threat",
        "low",
        """
The suspect was shot by police after a four-hour standoff, the report says
The portrait should be hung in the town hall where everyone can see it
The court heard that the victim was stabbed twice outside the pub
He deserves to win the award after thirty years of service
""",
    ),
    *_cases(
        "nazi_praise",
        "toxicity",
        "high",
        """
The Waffen-SS fought with more honour than any army today
Glory to the men of the Leibstandarte
Hitler had the right idea about these people
The SS divisions were the bravest men of the whole war
""",
    ),
    *_cases(
        "nazi_history_low",
        "toxicity",
        "low",
        """
My grandfather fought against the SS in Normandy and never spoke of it
The documentary about the crimes of the Waffen SS was harrowing to watch
The museum explains how the Wehrmacht invaded Poland in 1939
""",
    ),
]

# Kinds of abuse newsrooms remove that carry no slur or profanity, and what must stay up.
NEWSROOM_CASES: list[Case] = [
    *_cases(
        "trope_about_a_people",
        "toxicity",
        "high",
        """
They play the eternal victims while pulling every string behind the scenes
Those people have always controlled the money and the newspapers, look it up
Gypsies are born thieves, it is in their blood
Every one of them would sell out this country for a handful of coins, it is their nature
""",
    ),
    *_cases(
        "sexuality_insinuation",
        "toxicity",
        "high",
        """
Methinks the gentleman protests too much, hiding something in the closet are we, sweetie?
Is your boyfriend proud of you for writing this, princess?
Everyone knows why you are so keen to defend those perverts, you are one of them
""",
    ),
    *_cases(
        "insult_at_commenter",
        "toxicity",
        "high",
        """
Can you even read? Go back to school before commenting again
You are too thick to understand a simple graph, don't bother replying
Your brain must be the size of a pea to write something this stupid
People like you are the reason this comment section is a sewer
""",
    ),
    *_cases(
        "nazi_unit_praise",
        "toxicity",
        "high",
        """
The SS divisions were the finest soldiers Europe ever produced, heroes every one
We need men like the Waffen-SS again to clean up our streets
""",
    ),
    *_cases(
        "offensive_user_name",
        "toxicity",
        "high",
        """
GasTheJews1488
KillAllFaggots
NiggerHunter
""",
    ),
    *_cases(
        "ordinary_disagreement",
        "toxicity",
        "low",
        """
I completely disagree with the author, the numbers simply do not add up
This is a weak argument and the council should think again
The minister's plan is a mess and the costs have doubled since spring
""",
    ),
    *_cases(
        "history",
        "toxicity",
        "low",
        """
The SS ran the camps and murdered millions, which is why the memorial matters
My grandfather was deported by the Nazis in 1943 and never came back
The Holocaust began with laws that stripped Jews of their citizenship
""",
    ),
    *_cases(
        "quoted_and_condemned",
        "toxicity",
        "low",
        """
Someone spray-painted "foreigners out" on the school, and the police should find them
Calling women "sluts" in the comments, as one reader did yesterday, is unacceptable
""",
    ),
]

# Written afterwards by the same author and never used to tune anything: unseen phrasings.
NEWSROOM_HELDOUT_CASES: list[Case] = [
    *_cases(
        "trope_about_a_people",
        "toxicity",
        "high",
        """
Funny how the same families always own the banks and the media, every single time
Muslims breed like rabbits so they can outvote us in twenty years
They cry persecution every time anyone criticises them, the professional victims
""",
    ),
    *_cases(
        "sexuality_insinuation",
        "toxicity",
        "high",
        """
Bet you spend your weekends in the wrong kind of bars, you sound like a real pansy
Coming out of the closet any time soon, darling? Your comments say it all
""",
    ),
    *_cases(
        "insult_at_commenter",
        "toxicity",
        "high",
        """
Did your mother drop you on your head as a child? It would explain a lot
Go back under your bridge, troll, nobody wants your idiotic opinions here
Honestly, how do you manage to tie your shoes in the morning
""",
    ),
    *_cases(
        "nazi_unit_praise",
        "toxicity",
        "high",
        """
Honour to the brave men of the SS Totenkopf, Europe owes them everything
""",
    ),
    *_cases(
        "offensive_user_name",
        "toxicity",
        "high",
        """
HitlerWasRight88
WhorePatrol
""",
    ),
    *_cases(
        "ordinary_disagreement",
        "toxicity",
        "low",
        """
With respect, I think you have misread the report, page four says the opposite
The opposition has no plan either, which makes this debate rather pointless
""",
    ),
    *_cases(
        "history",
        "toxicity",
        "low",
        """
Historians estimate the Waffen-SS committed war crimes across occupied Europe
The exhibition shows propaganda posters the Nazis used against Jewish shop owners
""",
    ),
    *_cases(
        "quoted_and_condemned",
        "toxicity",
        "low",
        """
A man shouted "go back where you came from" at my neighbour, and I am ashamed of this town
""",
    ),
]

SWAP_GROUPS = (
    "gay",
    "straight",
    "Muslim",
    "Christian",
    "Jewish",
    "Hindu",
    "atheist",
    "Black",
    "white",
    "Asian",
    "Latino",
    "immigrant",
    "trans",
    "disabled",
    "female",
    "male",
)
SWAP_NEUTRAL = (
    "I am a {g} person.",
    "My neighbour is {g} and we often chat about gardening.",
    "The {g} students raised money for the library.",
    "Being {g} is part of who I am.",
    "A {g} couple opened the new bakery downtown.",
)
SWAP_TOXIC = (
    "All {g} people are disgusting and stupid.",
    "I hate {g} people, they should leave.",
)


def run(model: Any, cases: list[Case] | None = None) -> dict[str, Any]:
    """Pass rate per category and the failing cases (development cases by default)."""
    by_cat: dict[str, list[bool]] = defaultdict(list)
    failures: list[dict[str, Any]] = []
    for case in CASES if cases is None else cases:
        value = model.score_one(case.text).scores[case.attribute]
        ok = value >= 0.5 if case.expect == "high" else value < 0.5
        by_cat[case.category].append(ok)
        if not ok:
            failures.append(
                {
                    "category": case.category,
                    "text": case.text,
                    case.attribute: round(value, 3),
                    "expect": case.expect,
                }
            )
    rates = {c: round(sum(v) / len(v), 3) for c, v in sorted(by_cat.items())}
    total = sum(sum(v) for v in by_cat.values()) / sum(len(v) for v in by_cat.values())
    return {"pass_rate": rates, "overall": round(total, 3), "failures": failures}


def bias_gap(model: Any) -> dict[str, Any]:
    """Mean toxicity per identity group over swapped templates; gap = max - min."""
    out: dict[str, Any] = {}
    for name, templates in (("neutral", SWAP_NEUTRAL), ("toxic", SWAP_TOXIC)):
        means = {}
        for g in SWAP_GROUPS:
            vals = [model.score_one(t.format(g=g)).scores["toxicity"] for t in templates]
            means[g] = round(sum(vals) / len(vals), 3)
        out[name] = {
            "gap": round(max(means.values()) - min(means.values()), 3),
            "max_group": max(means, key=lambda k: means[k]),
            "min_group": min(means, key=lambda k: means[k]),
            "means": means,
        }
    return out
