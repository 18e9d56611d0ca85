"""Languages as choices: who can listen in what, and the best choice of an activity's languages
without CP-SAT (for the greedy, the validator, the scoring and the objective's baseline).

A group's members come as *profiles*: `count` members who follow the same languages and
prefer the same one. Members of one profile always listen in the same language: splitting
them never needs fewer interpretations (each language they could use is either rendered
anyway or not) and the preference cost is linear in the count.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .model import Activity, Group, LanguageChoice

# Beyond this many candidate target languages the exact search over subsets is skipped
# (2^10 subsets per spoken language) and a greedy cover is used.
EXACT_LIMIT = 10


@dataclass(frozen=True)
class Profile:
    group: int
    follows: tuple[str, ...]
    count: int
    preferred: str  # "" when none, or when they do not follow it


def group_profiles(g: Group) -> list[Profile]:
    """The group's members (or, for the format without members, one profile per needed
    language with the whole group in it: every language needed, as before)."""
    if g.members:
        return [
            Profile(
                g.id,
                tuple(dict.fromkeys(m.follows)),
                m.count,
                m.preferred if m.preferred in m.follows else "",
            )
            for m in g.members
            if m.follows and m.count > 0
        ]
    return [Profile(g.id, (lang,), g.size, lang) for lang in dict.fromkeys(g.languages)]


def spoken_candidates(a: Activity) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a.languages))


def targets(choice: LanguageChoice) -> list[str]:
    """Languages interpreted into: those listened in other than the one spoken."""
    return sorted({lang for _g, lang, n in choice.listening if lang != choice.spoken and n > 0})


def make_choice(
    aid: int, spoken: str, profiles: list[Profile], listening: list[str]
) -> LanguageChoice:
    rows: dict[tuple[int, str], int] = {}
    for pf, lang in zip(profiles, listening, strict=True):
        rows[pf.group, lang] = rows.get((pf.group, lang), 0) + pf.count
    return LanguageChoice(aid, spoken, tuple((g, lang, n) for (g, lang), n in sorted(rows.items())))


def misses(profiles: list[Profile], listening: list[str]) -> int:
    """Members not listening in their preferred language."""
    return sum(
        pf.count
        for pf, lang in zip(profiles, listening, strict=True)
        if pf.preferred and lang != pf.preferred
    )


def _listen(pf: Profile, spoken: str, rendered) -> str | None:
    """The language a profile listens in, given the spoken one and those rendered: their
    preferred one when it is available, else the spoken one, else the first rendered."""
    if pf.preferred and (pf.preferred == spoken or pf.preferred in rendered):
        return pf.preferred
    if spoken in pf.follows:
        return spoken
    return next((lang for lang in pf.follows if lang in rendered), None)


def best_choice(a: Activity, profiles: list[Profile]) -> LanguageChoice | None:
    """Fewest interpreted languages, then fewest members off their preferred language, then
    the first spoken language listed. None when nothing is spoken."""
    spoken_langs = spoken_candidates(a)
    if not spoken_langs:
        return None
    best = None  # (key, choice)
    for k, s in enumerate(spoken_langs):
        needy = [pf for pf in profiles if s not in pf.follows]
        pool = sorted({lang for pf in profiles for lang in pf.follows} - {s})
        if len(pool) <= EXACT_LIMIT:
            options = (
                set(t) for size in range(len(pool) + 1) for t in itertools.combinations(pool, size)
            )
        else:
            options = iter([_greedy_cover(needy)])
        found = None
        for rendered in options:
            if found is not None and len(rendered) > len(found[0]):
                break  # only covers of the smallest size compete on preferences
            if any(not set(pf.follows) & rendered for pf in needy):
                continue
            listening = [_listen(pf, s, rendered) for pf in profiles]
            used = {lang for lang in listening if lang != s}
            key = (len(used), misses(profiles, listening))
            if found is None or key < found[1]:
                found = (rendered, key, listening)
        if found is None:
            continue
        key = (*found[1], k)
        if best is None or key < best[0]:
            best = (key, make_choice(a.id, s, profiles, found[2]))
    return best[1] if best else None


def _greedy_cover(needy: list[Profile]) -> set[str]:
    rendered: set[str] = set()
    for pf in needy:
        if not set(pf.follows) & rendered:
            rendered.add(pf.preferred or pf.follows[0])
    return rendered


def choice_from_directions(
    a: Activity, profiles: list[Profile], directions: set[tuple[str, str]]
) -> LanguageChoice | None:
    """A choice the given interpretation directions serve (a result that does not say which
    languages it chose: a version made before choices, a manual edit), or None."""
    for s in spoken_candidates(a):
        rendered = {
            t
            for src, t in directions
            if src == s and (not a.two_way or (t, s) in directions) and t != s
        }
        listening = [_listen(pf, s, rendered) for pf in profiles]
        if None not in listening:
            return make_choice(a.id, s, profiles, listening)
    return None


def is_valid_choice(a: Activity, profiles: list[Profile], choice: LanguageChoice) -> str | None:
    """Why `choice` is not one the activity's speakers and audience allow, or None."""
    if choice.spoken not in spoken_candidates(a):
        return "spoken"
    return listening_error(profiles, choice)


def listening_error(profiles: list[Profile], c: LanguageChoice) -> str | None:
    """Whether each group's members can be seated in its rows: every member in exactly one
    row, of a language they follow."""
    members: dict[int, int] = {}
    for pf in profiles:
        members[pf.group] = members.get(pf.group, 0) + pf.count
    rows: dict[int, dict[str, int]] = {}
    for g, lang, n in c.listening:
        if g not in members or n <= 0:
            return "listening"
        rows.setdefault(g, {})[lang] = rows.get(g, {}).get(lang, 0) + n
    for g, total in members.items():
        row = rows.get(g, {})
        if sum(row.values()) != total:
            return "listening"
        # Hall's condition (Gale's supply-demand theorem): any set of rows asks for no more
        # members than follow one of its languages. With the totals equal, everyone is seated.
        mine = [(set(pf.follows), pf.count) for pf in profiles if pf.group == g]
        for k in range(1, len(row) + 1):
            for langs in itertools.combinations(row, k):
                asked = sum(row[lang] for lang in langs)
                if asked > sum(n for follows, n in mine if follows.intersection(langs)):
                    return "listening"
    return None


def choice_misses(profiles: list[Profile], choice: LanguageChoice) -> int:
    """Members off their preferred language under `choice` (rows are per group and language:
    those preferring a language get it first)."""
    out = 0
    by_group: dict[int, list[Profile]] = {}
    for pf in profiles:
        by_group.setdefault(pf.group, []).append(pf)
    for g, pfs in by_group.items():
        got = {lang: n for gg, lang, n in choice.listening if gg == g}
        for pf in pfs:
            if not pf.preferred:
                continue
            served = min(pf.count, got.get(pf.preferred, 0))
            got[pf.preferred] = got.get(pf.preferred, 0) - served
            out += pf.count - served
    return out
