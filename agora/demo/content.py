"""The demo newspaper: a few stories and a lively discussion under each.

A discussion is a list of (author, text, replies) trees; replies nest several levels deep.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Thread:
    author: str
    text: str
    replies: tuple[Thread, ...] = ()


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    standfirst: str
    paragraphs: tuple[str, ...]
    discussion: tuple[Thread, ...] = field(default=())


def t(author: str, text: str, *replies: Thread) -> Thread:
    return Thread(author, text, replies)


STORIES: tuple[Story, ...] = (
    Story(
        slug="harbour-bridge-vote",
        title="Council approves toll-free harbour bridge after marathon session",
        standfirst="The 14-hour meeting ended with a 7-5 vote; the first cars could cross in 2029.",
        paragraphs=(
            "After fourteen hours of debate, the city council voted seven to five on Tuesday night "
            "to build a second harbour bridge without tolls, financing it instead through a regional "
            "infrastructure bond.",
            "Supporters said the bridge would cut the average commute from the northern districts by "
            "twenty minutes. Opponents warned that the bond would crowd out spending on buses and "
            "cycle lanes for a decade.",
            "Construction is expected to begin next spring. The transport department will publish "
            "the final route in February, after a last round of public consultation.",
        ),
        discussion=(
            t("Marta K.", "Finally. I have been sitting in that queue every morning for eleven years.",
              t("Jonas", "Eleven years of queueing and the answer is *more lanes*? Induced demand is "
                         "real: in five years the new bridge will be just as jammed.",
                t("Marta K.", "Maybe, but there is no bus that gets me to the hospital for a 6 am shift. "
                              "Until there is, I drive.",
                  t("Priya", "This is the real point. Fix the early-morning bus network and half of "
                             "the argument goes away.",
                    t("Jonas", "Agreed, and that is exactly what the bond will now starve. "
                               "Seven to five tells you how close it was."),
                    ),
                  ),
                ),
              t("Old Harbour Resident", "Did anyone on the council ask the people who live next to "
                                        "the northern ramp? Nobody knocked on my door."),
              ),
            t("Ben T.", "Toll-free sounds nice until you read page 40 of the bond prospectus: "
                        "repayments come out of the general budget until 2061.",
              t("Claire", "Source? I read the summary and it said the port authority shares the cost.",
                t("Ben T.", "The summary does. The prospectus, section 7.2, does not. Worth reading the "
                            "whole thing before celebrating."),
                ),
              ),
            t("Sam", "Genuinely curious: has anyone modelled what happens to the ferry line?"),
        ),
    ),
    Story(
        slug="library-opening-hours",
        title="Libraries to open on Sundays from January",
        standfirst="A pilot at four branches will test whether weekend hours bring in new readers.",
        paragraphs=(
            "Four branch libraries will open from 11 am to 5 pm on Sundays starting in January, the "
            "city's culture department announced.",
            "The pilot is funded for one year. Staff will be paid a weekend supplement, and the "
            "department says no weekday hours will be cut to pay for it.",
        ),
        discussion=(
            t("Ines", "Wonderful news. Sunday is the only day my kids and I have time together.",
              t("Tomasz", "Same here. Hope the children's section is staffed too, not just the "
                          "self-service machines.")),
            t("Frank", "Nice, but I would rather have longer weekday evenings. Closing at 6 pm is "
                       "useless for anyone who works.",
              t("Librarian (off duty)", "We hear this a lot. The pilot includes a survey: please "
                                        "fill it in, the answers really do get read.",
                t("Frank", "Fair enough, I will. Thanks for replying.")),
              ),
        ),
    ),
    Story(
        slug="heatwave-warning",
        title="Heat warning issued as temperatures head for 38°C",
        standfirst="Cooling centres open in all districts; the elderly are urged to stay indoors "
                   "between noon and 5 pm.",
        paragraphs=(
            "The national weather service has issued a level-three heat warning for the region from "
            "Thursday to Sunday, with daytime highs of up to 38°C expected.",
            "The city has opened cooling centres in every district and extended the opening hours of "
            "public swimming pools until 10 pm.",
        ),
        discussion=(
            t("Grandad Lou", "Please check on your older neighbours this week. A knock on the door "
                             "costs nothing.",
              t("Ana", "Did exactly that this morning. Mrs Okafor on the third floor had no fan; "
                       "we brought her one.",
                t("Grandad Lou", "That is the spirit. Thank you, Ana.")),
              ),
            t("Weather nerd", "For context: the previous record for June here was 36.1°C in 2019.\n\n"
                              "> This is not normal.\n\nIt is becoming normal, which is worse."),
        ),
    ),
)


def find(slug: str) -> Story | None:
    return next((story for story in STORIES if story.slug == slug), None)
