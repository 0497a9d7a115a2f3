#!/usr/bin/env python3
"""Independent oracle for Triage's cron: random expressions and instants, with
croniter's next firings. Prints one JSON object per line:
{"expression": ..., "zone": ..., "after": epoch seconds, "next": [epoch seconds, ...]}

Besides plain fields it draws every Quartz form croniter has: the macros, `L`
in day-of-month (alone or in a list), `nW`, `d#n`, and the last weekday d of
the month, which Quartz and Triage write `dL` and croniter `Ld` (the expression
printed is Triage's). croniter reads `#`, `L`-weekdays and `W` as an AND with
the other day field, so those are drawn only with the other day field `*`/`?`;
`L-n`, `LW` and Spring's AND reading are in CronQuartzFormsTests' table.

Ranges always have two different ends: croniter 7.0 expands a one-value
range such as "7-7" to "*" (a bug of its own, not a question of semantics).
Day fields that allow every day but are not written `*` or `?` (`0-6`,
`*/1`) are skipped too: croniter treats them as restricted or not depending on
how the other day field is written, while Triage treats a field that allows
every day as unrestricted (hand-checked in CronExpressionTests).
Zones without DST in the sampled years are used, because croniter's DST
handling differs from the design's (gaps fire once at the next valid instant);
DST behaviour is covered by hand-checked tables instead.

Usage: cron_oracle.py SEED COUNT
"""
import json
import random
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from croniter import croniter

FIELDS = [  # (name, low, high, names)
    ("second", 0, 59, None),
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("dom", 1, 31, None),
    ("month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
    ("dow", 0, 6, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
]
ZONES = ["UTC", "Asia/Seoul", "Asia/Kolkata", "Asia/Tokyo", "America/Bogota"]


def value(rng, low, high, names):
    number = rng.randint(low, high)
    if names and rng.random() < 0.3:
        return names[number - low]
    return str(number)


def element(rng, low, high, names):
    kind = rng.random()
    if kind < 0.35:
        return value(rng, low, high, names)
    a, b = sorted(rng.sample(range(low, high + 1), 2))
    if kind < 0.6:
        return f"{a}-{b}"
    if kind < 0.8:
        return f"*/{rng.randint(1, max(1, (high - low) // 2))}"
    if kind < 0.9:
        return f"{a}-{b}/{rng.randint(1, 5)}"
    return f"{a}/{rng.randint(1, 10)}"


def field(rng, name, low, high, names):
    roll = rng.random()
    if roll < 0.35:
        return "?" if name in ("dom", "dow") and rng.random() < 0.2 else "*"
    if roll < 0.8:
        return element(rng, low, high, names)
    return ",".join(element(rng, low, high, names) for _ in range(rng.randint(2, 3)))


MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]


def quartz_day(rng, parts):
    """Puts one Quartz day form into parts (the last five fields); returns croniter's spelling of parts."""
    theirs = list(parts)
    roll = rng.random()
    if roll < 0.3:
        parts[-3] = theirs[-3] = rng.choice(["L", "l", f"L,{rng.randint(1, 28)}", f"{rng.randint(1, 15)},L"])
    elif roll < 0.5:
        parts[-3] = theirs[-3] = f"{rng.randint(1, 31)}W"
        parts[-1] = theirs[-1] = rng.choice(["*", "?"])
    elif roll < 0.8:
        day = rng.randint(0, 6)
        spelled = FIELDS[5][3][day] if rng.random() < 0.4 else str(day)
        parts[-1] = theirs[-1] = f"{spelled}#{rng.randint(1, 5)}"
        parts[-3] = theirs[-3] = rng.choice(["*", "?"])
    else:
        day = rng.randint(0, 6)
        parts[-1], theirs[-1] = f"{day}L", f"L{day}"
        parts[-3] = theirs[-3] = rng.choice(["*", "?"])
    return theirs


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    produced = 0
    while produced < count:
        six = rng.random() < 0.7
        parts = [field(rng, *spec) for spec in (FIELDS if six else FIELDS[1:])]
        # Sparse seconds keep the search short; every-second expressions are in the hand table.
        if six and parts[0] == "*":
            parts[0] = str(rng.randint(0, 59))
        roll = rng.random()
        if roll < 0.05:
            six = False
            expression = theirs = rng.choice(MACROS)
        elif roll < 0.35:
            theirs = " ".join(quartz_day(rng, parts))
            expression = " ".join(parts)
        else:
            expression = theirs = " ".join(parts)
        zone = rng.choice(ZONES)
        after = rng.randint(946684800, 4102444800)  # 2000 .. 2100
        try:
            start = datetime.fromtimestamp(after, tz=timezone.utc).astimezone(ZoneInfo(zone))
            iterator = croniter(theirs, start, second_at_beginning=six, day_or=True)
            day_fields = (parts[-3], parts[-1]) if not expression.startswith("@") else ("*", "*")
            expanded = (iterator.expanded[2], iterator.expanded[4])  # croniter keeps seconds last
            if any(text not in ("*", "?") and (values == ["*"] or len(values) == full)
                   for text, values, full in zip(day_fields, expanded, (31, 7))):
                continue
            firings = [int(iterator.get_next(float)) for _ in range(3)]
        except Exception:  # croniter refuses it (or cannot find a firing): not a comparison
            continue
        print(json.dumps({"expression": expression, "zone": zone, "after": after, "next": firings}))
        produced += 1


if __name__ == "__main__":
    main()
