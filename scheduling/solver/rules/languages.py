"""Languages as choices (docs/problem-format.md): per activity, which candidate language is
spoken and which language each profile of members listens in; a language listened in and
not spoken is interpreted into, and the interpreters' coverage is conditioned on the
spoken language. Used only for activities with a choice (Prepared.has_choice): the others
keep their fixed needs and no literal is created."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import policy
from ..languages import make_choice, spoken_candidates
from ..model import LanguageChoice
from ..prepare import Need
from ..variables import Ctx, enforce, may_work


@dataclass
class ChoiceVars:
    spoken: dict  # language -> literal (the presence literal when there is one candidate)
    listening: list  # per profile: language -> literal
    targets: dict  # language -> "interpreted into" literal
    needs: list[Need] = field(default_factory=list)
    interpreted: object = None  # "interpreted at all" literal (None without targets)


def add_language_choice(ctx: Ctx, a) -> None:
    m, prep = ctx.m, ctx.prep
    p = ctx.present[a.id]
    profiles = prep.profiles(a)
    spoken_langs = spoken_candidates(a)
    if len(spoken_langs) == 1:
        sp = {spoken_langs[0]: p}
    else:
        sp = {s: m.new_bool_var(f"sp{a.id}_{s}") for s in spoken_langs}
        m.add(sum(sp.values()) == p)
    listening = []
    for k, pf in enumerate(profiles):
        if len(pf.follows) == 1:
            listening.append({pf.follows[0]: p})
        else:
            lits = {lang: m.new_bool_var(f"ls{a.id}_{k}_{lang}") for lang in pf.follows}
            m.add(sum(lits.values()) == p)
            listening.append(lits)
    targets = {}
    for lang in sorted({x for pf in profiles for x in pf.follows}):
        spoken = sp.get(lang)
        if spoken is p:
            continue  # the only language spoken: never interpreted into
        heard = [lits[lang] for lits in listening if lang in lits]
        t = m.new_bool_var(f"t{a.id}_{lang}")
        # t <=> (some profile listens in lang) and lang is not spoken
        m.add_bool_or(heard).only_enforce_if(t)
        if spoken is not None:
            m.add_implication(t, spoken.Not())
        for x in heard:
            m.add_bool_or([x.Not(), t] + ([spoken] if spoken is not None else []))
        targets[lang] = t
    cv = ChoiceVars(sp, listening, targets)
    ctx.choices[a.id] = cv
    _cover(ctx, a, cv, spoken_langs)


def _cover(ctx: Ctx, a, cv: ChoiceVars, spoken_langs) -> None:
    m, prep = ctx.m, ctx.prep
    p = ctx.present[a.id]
    mode = a.interpretation_mode
    consecutive = mode == "consecutive"
    interp = ctx.problem.interpretation
    minutes = prep.interpreted(a)
    base = policy.team_size(interp, mode, minutes, 2)
    extra = 0
    if consecutive and base is not None:
        extra = (policy.team_size(interp, mode, minutes, 3) or base) - base
    cover_g = ctx.guard("interpretation", {"activity": (a.id,)})
    team_g = ctx.guard(
        "team_strength",
        {"activity": (a.id,)},
        {"team": base, "mode": mode, "duration": a.duration, "policy": interp.policy},
    )
    ts = list(cv.targets.values())
    if not ts:
        return
    u = m.new_bool_var(f"u{a.id}")  # interpreted at all
    cv.interpreted = u
    for t in ts:
        m.add_implication(t, u)
    m.add_bool_or(ts).only_enforce_if(u)
    if base is None:  # longer than any team may work: only without interpretation
        enforce(m.add(u == 0), cover_g, team_g)
        base = 1
    whisper = mode == "whispered"
    per_interp: dict[int, list] = {}
    for lang, t in cv.targets.items():
        kinds = [("into", frozenset((s, lang) for s in spoken_langs if s != lang))]
        if a.two_way:
            kinds.append(("from", frozenset((lang, s) for s in spoken_langs if s != lang)))
        for kind, directions in kinds:
            k = len(cv.needs)
            need = Need(kind, lang, directions)
            cv.needs.append(need)
            lits = []
            for i in ctx.problem.interpreters:
                own = directions & set(i.directions)
                if mode not in i.modes or not own or not may_work(ctx, a, i.id):
                    continue
                if (a.id, i.id) not in ctx.assigned:
                    ctx.assigned[a.id, i.id] = m.new_bool_var(f"y{a.id}_{i.id}")
                    m.add_implication(ctx.assigned[a.id, i.id], p)
                y = ctx.assigned[a.id, i.id]
                x = m.new_bool_var(f"x{a.id}_{i.id}_{k}")
                m.add_implication(x, t)
                if consecutive:
                    m.add_implication(x, y)
                usable = {d[0] if kind == "into" else d[1] for d in own}
                if usable != set(spoken_langs) - {lang}:
                    m.add_bool_or([cv.spoken[s] for s in usable]).only_enforce_if(x)
                if consecutive:
                    # A member of the team renders every active need they can (as in the
                    # model without choices): the result lists each of their directions.
                    for s in usable:
                        m.add_bool_or([y.Not(), t.Not(), cv.spoken[s].Not(), x])
                ctx.covers[a.id, i.id, k] = x
                per_interp.setdefault(i.id, []).append(x)
                lits.append(x)
            enforce(m.add(sum(lits) >= t), cover_g)
            if not consecutive:
                enforce(m.add(sum(lits) >= base * t), cover_g, team_g)
        if whisper:
            _whisper_limit(ctx, a, cv, lang, [t, cover_g])
    ys = [ctx.assigned[a.id, iid] for iid in per_interp]
    if consecutive:
        for iid, xs in per_interp.items():
            # On the team only if they render something in the chosen language.
            m.add_bool_or(xs).only_enforce_if(ctx.assigned[a.id, iid])
        enforce(m.add(sum(ys) >= base * u + extra * (sum(ts) - u)), cover_g, team_g)
    else:
        for iid, xs in per_interp.items():
            m.add(sum(xs) == ctx.assigned[a.id, iid])


def _whisper_limit(ctx: Ctx, a, cv: ChoiceVars, lang: str, active) -> None:
    """Whispering into `lang` serves only so many listeners."""
    heard = [
        pf.count * lits[lang]
        for pf, lits in zip(ctx.prep.profiles(a), cv.listening, strict=True)
        if lang in lits
    ]
    enforce(ctx.m.add(sum(heard) <= ctx.prep.whisper_max), *active)


def chosen(ctx: Ctx, solver, a) -> LanguageChoice | None:
    """The choice the solver made for a placed activity (its only one without literals)."""
    cv = ctx.choices.get(a.id)
    if cv is None:
        return ctx.prep.best_choice(a)
    spoken = next(s for s, lit in cv.spoken.items() if solver.boolean_value(lit))
    listening = [
        next(lang for lang, lit in lits.items() if solver.boolean_value(lit))
        for lits in cv.listening
    ]
    return make_choice(a.id, spoken, ctx.prep.profiles(a), listening)


def covered_direction(ctx: Ctx, solver, aid: int, iid: int, k: int) -> tuple[str, str]:
    """The direction interpreter `iid` works in for need `k` of activity `aid`."""
    prep = ctx.prep
    cv = ctx.choices.get(aid)
    if cv is None:
        need = prep.needs(prep.act[aid])[k]
        return sorted(need.directions & set(prep.interp[iid].directions))[0]
    need = cv.needs[k]
    spoken = next(s for s, lit in cv.spoken.items() if solver.boolean_value(lit))
    return (spoken, need.language) if need.kind == "into" else (need.language, spoken)


def _literals(ctx: Ctx):
    """(key, literal) of every choice and cover literal: the same keys in two models built
    from the same problem."""
    for aid, cv in ctx.choices.items():
        for lang, lit in cv.spoken.items():
            yield ("sp", aid, lang), lit
        for k, lits in enumerate(cv.listening):
            for lang, lit in lits.items():
                yield ("ls", aid, k, lang), lit
        for lang, lit in cv.targets.items():
            yield ("t", aid, lang), lit
        if cv.interpreted is not None:
            yield ("u", aid), cv.interpreted
    for key, x in ctx.covers.items():
        yield ("x", *key), x


def choice_literals(ctx: Ctx, prev_ctx: Ctx):
    """(literal of ctx, the same literal of prev_ctx): to hint one stage with another's
    solution."""
    prev = dict(_literals(prev_ctx))
    for key, lit in _literals(ctx):
        if key in prev:
            yield lit, prev[key]


def _profile_languages(prep, a, choice: LanguageChoice) -> list[str] | None:
    """The language each profile of `a` listens in under `choice` (its rows are per group
    and language: those who prefer a language get it first)."""
    left = {(g, lang): n for g, lang, n in choice.listening}
    profiles = prep.profiles(a)
    out: list[str | None] = [None] * len(profiles)
    order = sorted(range(len(profiles)), key=lambda k: not profiles[k].preferred)
    for k in order:
        pf = profiles[k]
        langs = [pf.preferred] if pf.preferred else []
        langs += [x for x in pf.follows if x != pf.preferred]
        for lang in langs:
            if left.get((pf.group, lang), 0) >= pf.count:
                left[pf.group, lang] -= pf.count
                out[k] = lang
                break
    return None if None in out else out


def choice_hints(ctx: Ctx, result):
    """(literal, value) for the choice and cover literals of a whole programme (`result`:
    its placements, assignments and languages), so that a hint from it is complete."""
    prep = ctx.prep
    placed = {pl.activity for pl in result.placements}
    langs = {c.activity: c for c in result.languages}
    team = {(x.activity, x.interpreter, tuple(x.direction)) for x in result.assignments}
    interpreters_of: dict[int, set] = {}  # one pass over the covers, not one per activity
    for key in ctx.covers:
        interpreters_of.setdefault(key[0], set()).add(key[1])
    for aid, cv in ctx.choices.items():
        a = prep.act[aid]
        choice = langs.get(aid) if aid in placed else None
        listening = _profile_languages(prep, a, choice) if choice is not None else None
        if aid in placed and listening is None:
            continue  # a choice this model cannot read: leave it to CP-SAT
        for lang, lit in cv.spoken.items():
            yield lit, choice is not None and lang == choice.spoken
        for k, lits in enumerate(cv.listening):
            for lang, lit in lits.items():
                yield lit, listening is not None and listening[k] == lang
        rendered = set(listening or ()) - ({choice.spoken} if choice else set())
        for lang, lit in cv.targets.items():
            yield lit, lang in rendered
        if cv.interpreted is not None:
            yield cv.interpreted, bool(rendered)
        for k, need in enumerate(cv.needs):
            for iid in interpreters_of.get(aid, ()):
                x = ctx.covers.get((aid, iid, k))
                if x is None:
                    continue
                if choice is None or need.language not in rendered:
                    yield x, False
                    continue
                s = choice.spoken
                direction = (s, need.language) if need.kind == "into" else (need.language, s)
                yield x, (aid, iid, direction) in team
    for (aid, iid, k), x in ctx.covers.items():
        if aid in ctx.choices or aid not in prep.act:
            continue
        needs = prep.needs(prep.act[aid])
        if k < len(needs):
            yield x, any((aid, iid, d) in team for d in needs[k].directions)
