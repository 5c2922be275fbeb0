#!/usr/bin/env python3
"""Writes a deterministic folder of course notes for benchmarking Markdown language servers.

    python3 bench/gen_corpus.py --notes 1000 --out target/bench-corpus/notes-1000

The notes look like a cohort's: one folder per student and week, headings, prose that uses the
primer's glossary terms, task lists, `[[section#heading]]` links into the primer, `[[note]]`
wikilinks and relative Markdown links between notes, fenced code, quotes, tables, and non-ASCII
text (accents, CJK, emoji). One hub note (`course-map.md`) is linked from many notes, and a big
note of about 1 MB (`big.md`) serves the typing tests.

`DIR/manifest.json` lists known positions (0-based line; column as UTF-16 code units in
`character`, UTF-8 bytes in `byte` and code points in `codepoint`) with the answers a server
should give where they are known. Only a seeded `random.Random` is used, and only through
`random()`, whose sequence Python keeps stable across versions: the same seed, note count and
primer give the same bytes.
"""
import argparse
import hashlib
import json
import math
import os
import random
import re
import shutil
import sys

GENERATOR_VERSION = 1
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PRIMER = os.path.join(os.path.dirname(HERE), "primer")
HUB_STEM = "course-map"
MD_HUB = "reading-list.md"  # the second hub, linked only with Markdown links
BIG_NAME = "big.md"
SECTION_IDS = [
    "intro",
    "reliable-rpcs",
    "state",
    "scaling-stateless-services",
    "asynchronous-work-and-pipelines",
    "distributed-locking-and-distributed-consensus",
]
# Broken links: they give a language server something to diagnose. None of these names is a
# primer section, heading or title, nor a note.
BROKEN_LINKS = ["[[reliable-rpc]]", "[[state#cache-invalidaton]]", "[[scaling-stateles-services]]",
                "[[asynchronous-work#queues]]"]

# Everyday words for the prose around the terms. Words that belong to any primer term name,
# alias or heading are removed at start-up (see `filler_words`), so that filler can never form
# a term, nor lengthen one it stands next to.
FILLER = """
about above across after afternoon again ahead almost along already also although always am
among an analogy answer anyway apple around ask asked autumn away back bad badly basket bear
beautiful because become bed been before began begin behind believe below beside best better
between bicycle big bird board boat book borrow bottle bought box bread breakfast bridge bright
brother brought brown build built busy but butter buy cake came can candle car card careful
carefully carry cat chair chalk chapter cheap cheese chose circle city class classmate clean
clever close cloud coat coffee cold colour come comment could cousin cup cupboard curious
daily dark day dear desk did diagram dinner dog door down draft draw drawing dream drink
during each early easy eat egg either else empty enough evening ever every exactly example
exercise explain explained eye face fairly fall far farm fast father feel felt few field
finally find fine finger first fish five floor flower follow food foot forest forget forgot
four fresh friend friendly from front fruit full funny garden gave gentle get girl give glad
glass go going gone good got great green grey guess hair half hand happy hard hat have he
heard heavy held help helpful her here hill him his hold holiday home honest hope horse hot
hour house how hungry idea if imagine in indeed into is it its jacket journey jump just keep
kind kitchen knew know ladder lake lamp late later laugh learn left leg lemon less lesson let
letter library light like likely listen little look lost lot loud lovely low lunch made make
many map market maybe me meal mean meant met might milk mind minute moon more morning most
mother mountain much music my myself name narrow near nearly neat neither nest never new next
nice night nine no nobody noisy none nor not notebook nothing now number ocean often old on
once one only open orange other our out outside own page paint paper park past pen pencil
people perhaps picnic picture piece pink plain plan plant play pleasant please pocket poem
pond poor pretty probably puzzle quiet quietly quite rabbit rain read ready really recall
reason red remember rest rich right river road rock room rope round run sad said sailing salt
sand sat saw say school sea seat second see seem seen sentence seven shall she sheep shelf
shirt shoe shop short should show side simple sing sister sit six sketch sky sleep slow small
smile snow so soft some someone something sometimes song soon sorry soup spoon spring square
stair star still stone story street strong study sugar summer sun sunny supper sure sweet
table tail take talk tall taught tea teacher tell ten than thank that the their them then
there these they thing think third this those though three through tidy tired to today
together told tomorrow too took top towel town toy tree tried trip true try turn twelve two
umbrella uncle under until up upon us usual usually valley very village visit voice wait walk
wall want warm was watch water way we wear weather week well went were wet what wheel when
where which while white who why wide will wind window winter wise with without woke wonder
wood word wore work world would write wrong yard year yellow yes yesterday yet you young your
""".split()

# Non-ASCII words: accents, CJK, emoji (one code point outside the BMP is two UTF-16 units;
# some emoji are several code points).
NON_ASCII = ["café", "naïve", "résumé", "Zürich", "São", "Paulo", "façade", "Ångström", "jalapeño",
             "東京", "講義", "メモ", "分散", "笔记", "복습", "🚀", "✅", "😅", "👍🏽", "📚", "🧑‍💻", "€5"]
NON_ASCII_PREFIXES = ["🚀 東京の講義メモ: café naïve", "📚 笔记 — Zürich façade 😅", "👍🏽 복습: résumé ✅",
                      "🧑‍💻 分散 メモ, jalapeño", "€5 Ångström 🚀 São Paulo"]
LANGS = ["python", "go", "rust", "sh", "json", "yaml", "text"]


class Rng:
    """Choices built on random() alone, whose sequence is stable across Python versions."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def random(self):
        return self.r.random()

    def below(self, n):
        return min(int(self.r.random() * n), n - 1)

    def between(self, lo, hi):  # inclusive
        return lo + self.below(hi - lo + 1)

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def chance(self, p):
        return self.r.random() < p

    def weighted(self, cumulative):
        x = self.r.random() * cumulative[-1]
        lo, hi = 0, len(cumulative) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cumulative[mid] > x:
                hi = mid
            else:
                lo = mid + 1
        return lo


# ---------------------------------------------------------------------------------------------
# Reading the primer


def definition_terms(lines):
    """(term line, alias lines) for each Markdown definition-list entry."""
    out = []
    for i in range(1, len(lines)):
        if lines[i].startswith(": ") and lines[i - 1].strip() and not lines[i - 1].startswith(":"):
            aliases = []
            j = i
            while j < len(lines) and lines[j].startswith(": "):
                body = lines[j][2:].strip()
                if body.lower().startswith(("aliases:", "alias:")):
                    aliases += [a.strip().rstrip(".") for a in re.split(r"[,;]", body.split(":", 1)[1])]
                j += 1
            out.append((lines[i - 1].strip(), [a for a in aliases if a]))
    return out


def split_term_line(line):
    """`Full Name (ABBR)` → ['Full Name', 'ABBR']; anything else → [line]."""
    m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", line)
    return [m.group(1).strip(), m.group(2).strip()] if m else [line]


def is_abbreviation(name):
    upper = sum(c.isupper() for c in name)
    letters = sum(c.isalpha() for c in name)
    return " " not in name and upper >= 2 and upper * 2 >= letters


def read_primer(primer_dir):
    """The glossary terms (main name as written, in glossary order), the words that appear in any
    primer name or heading, the `[[section#heading]]` targets the glossary links to, and a hash of
    the primer's Markdown."""
    files = sorted(f for f in os.listdir(primer_dir) if f.endswith(".md") and f.lower() != "readme.md")
    digest = hashlib.sha256()
    name_words = set()
    terms = []
    targets = []
    for f in files:
        with open(os.path.join(primer_dir, f), encoding="utf-8") as fh:
            text = fh.read()
        digest.update(f.encode() + b"\0" + text.encode() + b"\0")
        lines = text.split("\n")
        for line in lines:
            if line.startswith("#"):
                heading = re.sub(r"\{[^}]*\}", "", line.lstrip("#"))
                name_words.update(re.findall(r"[a-z0-9]+", heading.lower()))
        for line, aliases in definition_terms(lines):
            for name in split_term_line(line) + aliases:
                name_words.update(re.findall(r"[a-z0-9]+", name.lower()))
            if f == "glossary.md":
                terms.append(split_term_line(line)[0])
        if f == "glossary.md":
            for m in re.finditer(r"\[\[([a-z0-9-]+)#([a-z0-9-]+)(?:\|[^\]]*)?\]\]", text):
                if (m.group(1), m.group(2)) not in targets:
                    targets.append((m.group(1), m.group(2)))
    # Names with a slash or odd characters are matched differently by different tools: skip them.
    usable = [t for t in terms if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 '-]*", t)]
    seen, unique = set(), []
    for t in usable:
        if t.lower() not in seen:
            seen.add(t.lower())
            unique.append(t)
    return unique, name_words, targets, digest.hexdigest()


def filler_words(name_words):
    def taken(w):
        forms = {w, w + "s", w + "es", w + "'s"}
        if w.endswith("s"):
            forms.add(w[:-1])
        if w.endswith("es"):
            forms.add(w[:-2])
        if w.endswith("ies"):
            forms.add(w[:-3] + "y")
        if w.endswith("y"):
            forms.add(w[:-1] + "ies")
        return bool(forms & name_words)

    return [w for w in FILLER if not taken(w)]


def surface(term):
    """How a term is written in a sentence: abbreviations and names with inner capitals as they
    are (API, Apache Kafka), others in lower case (idempotency, cache hit)."""
    if is_abbreviation(term) or any(c.isupper() for c in term[1:]):
        return term
    return term[0].lower() + term[1:]


def slugify(text):
    out = []
    for c in text.strip():
        if c.isalnum() or c in "-_":
            out.append(c.lower())
        elif c == " ":
            out.append("-")
    return "".join(out)


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def position(note, line_no, prefix, text, **extra):
    """A manifest position: `text` starts after `prefix` on line `line_no` of `note` (that line is
    the last one added or the next one). `offset` counts UTF-8 bytes from the start of the file."""
    start = note.starts[line_no] if line_no < len(note.starts) else note.size
    p = {
        "file": note.rel,
        "line": line_no,
        "offset": start + len(prefix.encode("utf-8")),
        "character": utf16_len(prefix),
        "byte": len(prefix.encode("utf-8")),
        "codepoint": len(prefix),
        "end_character": utf16_len(prefix) + utf16_len(text),
        "end_byte": len((prefix + text).encode("utf-8")),
        "end_codepoint": len(prefix) + len(text),
        "text": text,
        "non_ascii_before": any(ord(c) > 127 for c in prefix),
    }
    p.update(extra)
    return p


# ---------------------------------------------------------------------------------------------
# Writing notes


class Note:
    """One note's lines, with bookkeeping for the manifest."""

    def __init__(self, rel):
        self.rel = rel
        self.lines = []
        self.starts = []  # byte offset of each line
        self.size = 0
        self.headings = []  # slugs

    def add(self, line):
        self.starts.append(self.size)
        self.lines.append(line)
        self.size += len(line.encode("utf-8")) + 1

    def text(self):
        return "\n".join(self.lines) + "\n"


class Generator:
    def __init__(self, notes, seed, big_mb, primer_dir, avg_kb=8.0):
        self.params = {"notes": notes, "seed": seed, "big_note_mb": big_mb, "avg_kb": avg_kb}
        self.rng = Rng(seed)
        self.seed = seed
        self.n = notes
        self.big_mb = big_mb
        self.avg_bytes = avg_kb * 1024
        terms, name_words, targets, primer_hash = read_primer(primer_dir)
        if not terms:
            sys.exit(f"gen_corpus: no glossary terms found in {primer_dir}/glossary.md")
        self.primer_hash = primer_hash
        self.targets = targets or [(s, None) for s in SECTION_IDS]
        self.words = filler_words(name_words)
        self.terms = terms
        # Zipf-like frequencies over a seeded shuffle of the terms: a few terms are common.
        order = list(range(len(terms)))
        for i in range(len(order) - 1, 0, -1):
            j = self.rng.below(i + 1)
            order[i], order[j] = order[j], order[i]
        self.term_order = [terms[i] for i in order]
        self.term_cum = []
        acc = 0.0
        for rank in range(len(order)):
            acc += 1.0 / (rank + 1) ** 0.6
            self.term_cum.append(acc)
        # The common term (the one references are measured on) is the most frequent term of at
        # most two words: a phrase students write all the time, like "cache" or "idempotency".
        for rank, t in enumerate(self.term_order):
            if len(t.split()) <= 2:
                self.term_order.insert(0, self.term_order.pop(rank))
                break
        self.common_term = self.term_order[0]
        self.surfaces = {t: surface(t) for t in terms}
        self.term_uses = {t: 0 for t in terms}
        self.sentence_pool = self._sentences(3000)

    # -- text pieces ---------------------------------------------------------------------------

    def _sentences(self, count):
        pool = []
        for _ in range(count):
            n = self.rng.between(5, 14)
            ws = [self.rng.pick(self.words) for _ in range(n)]
            if self.rng.chance(0.12):
                ws.insert(self.rng.below(n), self.rng.pick(NON_ASCII))
            if self.rng.chance(0.15):
                k = self.rng.below(n)
                ws[k] = "**" + ws[k] + "**"
            elif self.rng.chance(0.1):
                k = self.rng.below(n)
                ws[k] = "*" + ws[k] + "*"
            if self.rng.chance(0.2) and n > 6:
                ws[n // 2] += ","
            ws[0] = ws[0][0].upper() + ws[0][1:] if ws[0][0].isalpha() else ws[0]
            pool.append(ws)
        return pool

    def filler(self, lo, hi):
        words, rnd, n = self.words, self.rng.random, len(self.words)
        return " ".join([words[min(int(rnd() * n), n - 1)] for _ in range(self.rng.between(lo, hi))])

    def pick_term(self):
        return self.term_order[self.rng.weighted(self.term_cum)]

    def prose_line(self, with_term=True):
        """A line of prose; returns (line, [(column prefix, term)])."""
        ws = list(self.rng.pick(self.sentence_pool))
        ws[-1] = ws[-1] + "."
        if self.rng.chance(0.5):
            more = list(self.rng.pick(self.sentence_pool))
            more[-1] = more[-1] + "."
            ws += more
        found = []
        if with_term:
            k = 1 + self.rng.below(len(ws) - 1)
            term = self.pick_term()
            ws.insert(k, self.surfaces[term])
            if self.rng.chance(0.25) and k + 3 < len(ws):
                k2 = k + 2 + self.rng.below(len(ws) - k - 2)
                term2 = self.pick_term()
                ws.insert(k2, self.surfaces[term2])
            line = " ".join(ws)
            found = self._terms_in(ws)
            return line, found
        return " ".join(ws), found

    def _terms_in(self, ws):
        out = []
        col = 0
        for w in ws:
            t = self.surface_to_term.get(w)
            if t is not None:
                out.append((col, t))
            col += len(w) + 1
        return out

    # -- notes ----------------------------------------------------------------------------------

    def plan(self):
        """Paths of every note, decided before any is written so links can point anywhere."""
        self.surface_to_term = {self.surfaces[t]: t for t in self.terms}
        per_student = 25
        students = max(1, math.ceil(self.n / per_student))
        self.notes = []  # (rel, stem)
        for i in range(self.n - 2):  # the two hubs are among the n notes
            student = i % students
            week = 1 + (i // students) % 12
            stem = f"n{i:05d}-{self.rng.pick(self.words)}-{self.rng.pick(self.words)}"
            rel = f"student-{student + 1:03d}/week-{week:02d}/{stem}.md"
            self.notes.append((rel, stem))
        self.hub_rel = f"{HUB_STEM}.md"
        self.headings_of = {}  # rel → heading slugs, for notes already written

    def relative(self, src_rel, dst_rel):
        return os.path.relpath(dst_rel, os.path.dirname(src_rel) or ".").replace(os.sep, "/")

    def section_link(self):
        section, heading = self.rng.pick(self.targets)
        if heading is None or self.rng.chance(0.25):
            target = section
        else:
            target = f"{section}#{heading}"
        if self.rng.chance(0.2):
            return f"[[{target}|{self.filler(1, 3)}]]", target
        return f"[[{target}]]", target

    def note_link(self, src_rel):
        """A wikilink or Markdown link to another note."""
        j = self.rng.below(len(self.notes))
        rel, stem = self.notes[j]
        if rel == src_rel:
            rel, stem = self.notes[(j + 1) % len(self.notes)]
        slugs = self.headings_of.get(rel)
        anchor = f"#{self.rng.pick(slugs)}" if slugs and self.rng.chance(0.4) else ""
        if self.rng.chance(0.5):
            return f"[[{stem}{anchor}]]"
        return f"[{self.filler(1, 3)}]({self.relative(src_rel, rel)}{anchor})"

    def heading_text(self, used):
        while True:
            words = [self.rng.pick(self.words) for _ in range(self.rng.between(2, 5))]
            words = [w for w in words if w.isascii()] or ["notes"]
            text = " ".join(words)
            text = text[0].upper() + text[1:]
            if slugify(text) not in used:
                used.add(slugify(text))
                return text

    def write_note(self, rel, budget, *, title, hub_link, record, md_hub_link=False, big=False):
        """Fills a note up to `budget` bytes. Returns (Note, info) where info has counts and the
        positions recorded when `record` is true."""
        note = Note(rel)
        rng = self.rng
        info = {"terms": [], "non_ascii": [], "section_links": [], "hub_links": [], "common": [],
                "hub_link_count": 0, "md_hub_links": [], "md_hub_link_count": 0, "broken": 0, "edit": None}
        used_slugs = set()
        if rng.chance(0.3):
            note.add("---")
            note.add(f"title: {title}")
            note.add(f"tags: [{self.rng.pick(self.words)}, {self.rng.pick(self.words)}]")
            note.add("---")
            note.add("")
        note.add(f"# {title}")
        used_slugs.add(slugify(title))
        note.headings.append(slugify(title))
        note.add("")
        # A line of links near the top: the hub (if this note links to it), a primer section and
        # another note.
        prefix = "See also "
        parts = []
        if hub_link:
            hub = f"[[{HUB_STEM}]]"
            if record:
                info["hub_links"].append(position(note, len(note.lines), prefix + "[[", HUB_STEM,
                                                  expected_definition=self.hub_rel))
            parts.append(hub)
            info["hub_link_count"] += 1
        if md_hub_link:
            dest = self.relative(rel, MD_HUB)
            pre = prefix + "".join(p + ", " for p in parts) + "the [reading list]("
            if record:
                info["md_hub_links"].append(position(note, len(note.lines), pre, dest, expected_definition=MD_HUB))
            parts.append(f"the [reading list]({dest})")
            info["md_hub_link_count"] += 1
        link, target = self.section_link()
        pre = prefix + ("".join(p + ", " for p in parts))
        if record:
            info["section_links"].append(position(note, len(note.lines), pre + "[[", target.split("|")[0],
                                                  target=target))
        parts.append(link)
        parts.append(self.note_link(rel))
        note.add(prefix + ", ".join(parts) + ".")
        note.add("")
        if rng.chance(0.02) or big:
            note.add(f"Still to read: {rng.pick(BROKEN_LINKS)} before {self.filler(2, 4)}.")
            note.add("")
            info["broken"] += 1
        recorded_term = recorded_non_ascii = False
        blocks_since_heading = 0
        next_broken = budget // 4 if big else None
        while note.size < budget:
            if big and next_broken is not None and note.size >= next_broken:
                note.add(f"Also check {rng.pick(BROKEN_LINKS)} and {self.filler(2, 4)}.")
                note.add("")
                info["broken"] += 1
                next_broken = next_broken + budget // 4 if next_broken + budget // 4 < budget else None
            if blocks_since_heading >= rng.between(3, 6):
                level = "##" if rng.chance(0.6) else "###"
                text = self.heading_text(used_slugs)
                note.headings.append(slugify(text))
                note.add(f"{level} {text}")
                note.add("")
                blocks_since_heading = 0
                continue
            blocks_since_heading += 1
            kind = rng.random()
            if kind < 0.5:
                # A paragraph of 2-6 lines; most lines use a term.
                for _ in range(rng.between(2, 6)):
                    if rng.chance(0.06):
                        line = f"{self.filler(3, 8)} {self.section_link()[0]} {self.filler(2, 6)}."
                        note.add(line[0].upper() + line[1:])
                        continue
                    if rng.chance(0.05):
                        note.add(f"{self.filler(3, 8).capitalize()} {self.note_link(rel)} {self.filler(2, 6)}.")
                        continue
                    if rng.chance(0.04):
                        note.add(f"{self.filler(3, 8).capitalize()} `{self.surfaces[self.pick_term()]}` {self.filler(2, 5)}.")
                        continue
                    if record and not recorded_non_ascii and rng.chance(0.3):
                        head = rng.pick(NON_ASCII_PREFIXES) + " " + self.filler(1, 4) + " "
                        term = self.pick_term()
                        line = head + self.surfaces[term] + " " + self.filler(2, 6) + "."
                        info["non_ascii"].append(position(note, len(note.lines), head, self.surfaces[term], term=term))
                        self.count(term, info, note, len(note.lines), head, record)
                        recorded_non_ascii = True
                        note.add(line)
                        continue
                    line, found = self.prose_line(with_term=rng.chance(0.6))
                    for col, term in found:
                        prefix = line[:col]
                        if record and not recorded_term:
                            info["terms"].append(position(note, len(note.lines), prefix, self.surfaces[term], term=term))
                            recorded_term = True
                        self.count(term, info, note, len(note.lines), prefix, record)
                    note.add(line)
                note.add("")
            elif kind < 0.62:
                # A task list.
                for _ in range(rng.between(3, 6)):
                    box = "x" if rng.chance(0.4) else " "
                    if rng.chance(0.5):
                        term = self.pick_term()
                        head = f"- [{box}] {self.filler(1, 4).capitalize()} "
                        note.add(head + self.surfaces[term] + " " + self.filler(1, 5))
                        self.count(term, info, note, len(note.lines) - 1, head, record)
                    else:
                        note.add(f"- [{box}] {self.filler(3, 9).capitalize()}")
                note.add("")
            elif kind < 0.72:
                # A bullet list of links.
                for _ in range(rng.between(2, 5)):
                    if rng.chance(0.5):
                        note.add(f"- {self.section_link()[0]} {self.filler(1, 5)}")
                    else:
                        note.add(f"- {self.note_link(rel)} {self.filler(1, 5)}")
                note.add("")
            elif kind < 0.82:
                # Fenced code: term names inside are code, not prose.
                lang = rng.pick(LANGS)
                note.add(f"```{lang}")
                for _ in range(rng.between(2, 8)):
                    t = self.surfaces[self.pick_term()]
                    note.add(f"{self.rng.pick(self.words)}_{self.rng.pick(self.words)} = \"{t}\"  # {self.filler(1, 4)}")
                note.add("```")
                note.add("")
            elif kind < 0.9:
                # A quote with a term.
                term = self.pick_term()
                head = f"> {self.filler(3, 8).capitalize()} "
                note.add(head + self.surfaces[term] + " " + self.filler(3, 8) + ".")
                self.count(term, info, note, len(note.lines) - 1, head, record)
                note.add(f"> {self.filler(4, 10)} {rng.pick(NON_ASCII)}.")
                note.add("")
            elif kind < 0.94:
                # A small table (no terms: tables are not prose everywhere).
                note.add(f"| {self.rng.pick(self.words)} | {self.rng.pick(self.words)} | {rng.pick(NON_ASCII)} |")
                note.add("| --- | --- | --- |")
                for _ in range(rng.between(2, 4)):
                    note.add(f"| {self.filler(1, 3)} | {self.filler(1, 3)} | {rng.between(1, 99)} |")
                note.add("")
            elif kind < 0.97:
                note.add(f"<!-- {self.filler(2, 5)} {self.surfaces[self.pick_term()]} -->")
                note.add(f"{self.filler(4, 10).capitalize()} https://example.org/{self.rng.pick(self.words)}/{rng.between(1, 999)} {self.filler(2, 5)}.")
                note.add("")
            else:
                # A line that a typing test can extend (filler only, ends the paragraph).
                if big and info["edit"] is None and note.size >= budget // 2:
                    line = self.filler(6, 10).capitalize() + " "
                    info["edit"] = position(note, len(note.lines), line, "")
                    note.add(line)
                    note.add("")
                    # The term to hover after each keystroke, a few lines below the edit.
                    note.add("")
                    head = self.filler(3, 6).capitalize() + " "
                    term = self.common_term
                    note.add(head + self.surfaces[term] + " " + self.filler(3, 6) + ".")
                    info["big_hover"] = position(note, len(note.lines) - 1, head, self.surfaces[term], term=term)
                    self.count(term, info, note, len(note.lines) - 1, head, False)
                    note.add("")
                else:
                    note.add(f"{self.filler(6, 12).capitalize()} {rng.pick(NON_ASCII)} {self.filler(2, 6)}.")
                    note.add("")
        return note, info

    def count(self, term, info, note, line_no, prefix, record):
        self.term_uses[term] += 1
        if term == self.common_term and record and not info["common"]:
            info["common"].append(position(note, line_no, prefix, self.surfaces[term], term=term))

    def note_budget(self):
        # A shifted exponential with mean 1, capped: most notes a few KB, a few large ones.
        f = 0.25 + 0.75 * -math.log(1.0 - self.rng.random())
        # The last block overshoots the budget by about 270 bytes on average.
        return max(256, int(self.avg_bytes * min(f, 6.0)) - 270)

    def generate(self, out):
        self.plan()
        total_bytes = 0
        files = 0
        hub_inbound = 0
        hub_inbound_notes = 0
        md_hub_inbound = 0
        broken = 0
        positions = {"terms": [], "non_ascii_terms": [], "section_links": [], "hub_links": [],
                     "md_hub_links": [], "common_term": []}
        # Record positions in about 100 notes spread over the corpus.
        stride = max(1, (self.n - 2) // 100)
        hub_share = 0.4
        for i, (rel, stem) in enumerate(self.notes):
            week = rel.split("/")[1]
            title = f"{week.replace('-', ' ').capitalize()}: {self.filler(2, 4)}"
            links_hub = self.rng.chance(hub_share) or i == 0
            record = i % stride == 0
            links_md_hub = self.rng.chance(0.25) or i == 0
            note, info = self.write_note(rel, self.note_budget(), title=title, hub_link=links_hub,
                                         md_hub_link=links_md_hub, record=record)
            self.headings_of[rel] = note.headings[1:] or note.headings
            hub_inbound += info["hub_link_count"]
            hub_inbound_notes += 1 if info["hub_link_count"] else 0
            md_hub_inbound += info["md_hub_link_count"]
            positions["md_hub_links"] += info["md_hub_links"]
            broken += info["broken"]
            positions["terms"] += info["terms"]
            positions["non_ascii_terms"] += info["non_ascii"]
            positions["section_links"] += info["section_links"]
            positions["hub_links"] += info["hub_links"]
            positions["common_term"] += info["common"]
            total_bytes += self.write(out, note)
            files += 1
        hub_size, hub_heading = self.write_hub(out)
        total_bytes += hub_size
        files += 1
        total_bytes += self.write_md_hub(out)
        files += 1
        big = None
        if self.big_mb > 0:
            note, info = self.write_note(BIG_NAME, int(self.big_mb * 1024 * 1024), title="Everything, in one note",
                                         hub_link=False, record=False, big=True)
            size = self.write(out, note)
            total_bytes += size
            files += 1
            broken += info["broken"]
            big = {"file": BIG_NAME, "bytes": size, "lines": len(note.lines), "edit": info["edit"],
                   "hover": info.get("big_hover"), "broken_links": info["broken"]}
        probe = positions["hub_links"][0] if positions["hub_links"] else None
        manifest = {
            "generator": "bench/gen_corpus.py",
            "generator_version": GENERATOR_VERSION,
            "seed": self.seed,
            "notes": self.n,
            "files": files,
            "total_bytes": total_bytes,
            "primer_sha256": self.primer_hash,
            "generator_sha256": generator_hash(),
            "params": self.params,
            "lines_are": "0-based",
            "columns": "character = UTF-16 code units, byte = UTF-8 bytes, codepoint = code points",
            "hub": {
                "file": self.hub_rel,
                "stem": HUB_STEM,
                "heading": hub_heading,
                "inbound_links": hub_inbound,
                "inbound_notes": hub_inbound_notes,
                "probe": probe,
            },
            "md_hub": {
                "file": MD_HUB,
                "inbound_links": md_hub_inbound,
                "probe": positions["md_hub_links"][0] if positions["md_hub_links"] else None,
            },
            "common_term": {
                "term": self.common_term,
                "surface": self.surfaces[self.common_term],
                "uses_in_notes": self.term_uses[self.common_term],
                "positions": positions["common_term"],
            },
            "big_note": big,
            "broken_links": broken,
            "terms": positions["terms"],
            "non_ascii_terms": positions["non_ascii_terms"],
            "section_links": positions["section_links"],
            "hub_links": positions["hub_links"],
            "md_hub_links": positions["md_hub_links"],
            "expected": {
                "hub_references": hub_inbound,
                "md_hub_references": md_hub_inbound,
                "common_term_references_in_notes": self.term_uses[self.common_term],
                "broken_links": broken,
                "hub_links_definition": self.hub_rel,
            },
            "term_uses_top": sorted(((t, c) for t, c in self.term_uses.items() if c), key=lambda x: (-x[1], x[0]))[:10],
        }
        with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
        return manifest

    def write_md_hub(self, out):
        note = Note(MD_HUB)
        note.add("# Reading list")
        note.add("")
        for _ in range(40):
            note.add(f"- {self.filler(3, 9).capitalize()}")
        note.add("")
        return self.write(out, note)

    def write_hub(self, out):
        note = Note(self.hub_rel)
        note.add("# Course map")
        heading = position(note, 0, "# ", "Course map")
        note.add("")
        note.add(f"{self.filler(8, 14).capitalize()}. Every week links back here.")
        note.add("")
        for s in SECTION_IDS:
            note.add(f"## {s.replace('-', ' ').capitalize()}")
            note.add("")
            note.add(f"- [[{s}]] {self.filler(3, 8)}")
            for t, h in self.targets:
                if t == s and h and self.rng.chance(0.5):
                    note.add(f"- [[{t}#{h}]] {self.filler(2, 6)}")
            note.add("")
        note.add("## Weeks")
        note.add("")
        for rel, stem in self.notes[: min(60, len(self.notes))]:
            note.add(f"- [{stem}]({rel}) {self.filler(1, 4)}")
        note.add("")
        return self.write(out, note), heading

    def write(self, out, note):
        data = note.text().encode("utf-8")
        path = os.path.join(out, note.rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        return len(data)


def generator_hash():
    with open(os.path.abspath(__file__), "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def up_to_date(out, params, primer_dir):
    """Whether `out` already holds what this script would write with these parameters."""
    try:
        with open(os.path.join(out, "manifest.json"), encoding="utf-8") as fh:
            m = json.load(fh)
    except (OSError, ValueError):
        return False
    return (m.get("params") == params and m.get("generator_sha256") == generator_hash()
            and m.get("primer_sha256") == read_primer(primer_dir)[3])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, required=True, help="number of notes, the two hubs included (≥ 3)")
    ap.add_argument("--out", required=True, help="folder to write (emptied first if it holds a manifest.json)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--big-note-mb", type=float, default=1.0, help="size of big.md; 0 leaves it out")
    ap.add_argument("--avg-kb", type=float, default=8.0, help="average note size")
    ap.add_argument("--primer", default=DEFAULT_PRIMER, help="primer folder to read the glossary from")
    ap.add_argument("--if-changed", action="store_true",
                    help="do nothing when DIR already holds this corpus (same parameters, script and primer)")
    args = ap.parse_args(argv)
    if args.notes < 3:
        ap.error("--notes must be at least 3")
    params = {"notes": args.notes, "seed": args.seed, "big_note_mb": args.big_note_mb, "avg_kb": args.avg_kb}
    if args.if_changed and up_to_date(args.out, params, args.primer):
        print(f"gen_corpus: {args.out} is up to date")
        return 0
    if os.path.exists(args.out):
        if os.listdir(args.out) and not os.path.exists(os.path.join(args.out, "manifest.json")):
            sys.exit(f"gen_corpus: {args.out} is not empty and holds no manifest.json; refusing to replace it")
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    manifest = Generator(args.notes, args.seed, args.big_note_mb, args.primer, args.avg_kb).generate(args.out)
    print(f"gen_corpus: {manifest['files']} files, {manifest['total_bytes'] / 1e6:.1f} MB in {args.out} "
          f"(hub inbound links {manifest['hub']['inbound_links']}, common term "
          f"{manifest['common_term']['term']!r} used {manifest['common_term']['uses_in_notes']} times)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
