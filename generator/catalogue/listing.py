"""`budget catalogue --year Y [--json]`: the catalogue in force for a year, with its counts and marks."""

from __future__ import annotations

import json

from generator.catalogue import EDITIONS, KINDS, Catalogue


def counts(cat: Catalogue) -> dict[str, dict[str, int]]:
    """Per kind: rows, verified (Chinese name checked against a source), unverified, official English, local."""
    out = {}
    for kind in KINDS:
        rows = list(cat.table(kind).values())
        out[kind] = {"total": len(rows), "verified": sum(e.verified for e in rows),
                     "unverified": sum(not e.verified and not e.local for e in rows),
                     "official_en": sum(e.official_en for e in rows), "local": sum(e.local for e in rows)}
    return out


def as_dict(cat: Catalogue) -> dict[str, object]:
    return {
        "year": cat.year, "edition": cat.edition, "title": EDITIONS[cat.edition], "counts": counts(cat),
        "local_file": cat.local_path,
        "issues": [i.as_dict() for i in cat.issues],
        **{kind: [{"code": e.code, "level": e.level, "zh": e.zh, "en": e.en, "en_source": e.en_source,
                   "source": e.source, "verified": e.verified, "official_en": e.official_en, "local": e.local}
                  for e in cat.table(kind).values()] for kind in KINDS},
    }


def as_json(cat: Catalogue) -> str:
    return json.dumps(as_dict(cat), ensure_ascii=False, indent=2)


def as_text(cat: Catalogue, lang: str = "zh") -> str:
    """One line per row: code, level, marks (✓ verified, ? unverified, L local; E official English), names."""
    title = EDITIONS[cat.edition]["zh" if lang == "zh" else "en"]
    lines = [f"{cat.year}: {title} ({cat.edition})"]
    for kind, c in counts(cat).items():
        lines.append(f"  {kind}: {c['total']} rows, {c['verified']} verified, {c['unverified']} unverified, "
                     f"{c['official_en']} official English, {c['local']} local ({cat.local_path})")
    for i in cat.issues:
        lines.append(i.format(lang))
    for kind in KINDS:
        lines.append(f"[{kind}]")
        for e in cat.table(kind).values():
            mark = ("L" if e.local else "✓" if e.verified else "?") + ("E" if e.official_en else " ")
            lines.append(f"{e.code:<8}{e.level} {mark} {e.zh}  |  {e.en}  [{e.source}]")
    return "\n".join(lines)
