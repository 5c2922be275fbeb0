// The entries of "Primer: Open Section…", from a `workspace/symbol` answer: primer sections
// (SymbolKind Module) and their headings (SymbolKind String), in reading order. Terms, notes
// and anything else are left out. No `vscode` import.

import { SymbolKind, type SymbolInformation } from './lsp_ext';
import { uriBaseName } from './progress';

export interface SectionEntry {
  /** The section's or the heading's title. */
  label: string;
  /** For a heading, the title of its section. */
  section?: string;
  isSection: boolean;
  symbol: SymbolInformation;
}

/** File names of a primer's introduction; it comes first. */
const INTRO_FILES = new Set(['_index.md', 'index.md', 'intro.md']);

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Whether a heading deserves an entry: not empty, not just a number ("# 4" above a section's
 * title in the published primer), not the section's own title again ("State" in "2. State").
 */
export function isMeaningfulHeading(name: string, sectionTitle?: string): boolean {
  const text = name.trim();
  if (text === '' || /^[\d.\s)]*$/.test(text)) {
    return false;
  }
  const bare = (sectionTitle ?? '').replace(/^\d+[.)]?\s*/, '');
  return text.toLowerCase() !== bare.toLowerCase();
}

/**
 * Sections in order (the introduction, then by title, numerically: "2. State" before
 * "10. Queues"), each followed by its headings in document order, without the headings that
 * say nothing (isMeaningfulHeading). Headings whose section is not in the answer are listed
 * after the sections, grouped by file.
 */
export function sectionEntries(symbols: SymbolInformation[]): SectionEntry[] {
  const sections = symbols.filter(s => s.kind === SymbolKind.Module);
  const titles = new Map(sections.map(s => [s.location.uri, s.name]));
  const headings = symbols.filter(
    s => s.kind === SymbolKind.String && isMeaningfulHeading(s.name, titles.get(s.location.uri) ?? s.containerName),
  );
  const introRank = (s: SymbolInformation) => (INTRO_FILES.has(uriBaseName(s.location.uri)) ? 0 : 1);
  sections.sort((a, b) => introRank(a) - introRank(b) || collator.compare(a.name, b.name));
  const byLine = (a: SymbolInformation, b: SymbolInformation) =>
    a.location.range.start.line - b.location.range.start.line;

  const out: SectionEntry[] = [];
  const placed = new Set<SymbolInformation>();
  for (const section of sections) {
    out.push({ label: section.name, isSection: true, symbol: section });
    const own = headings.filter(h => h.location.uri === section.location.uri && !placed.has(h)).sort(byLine);
    for (const h of own) {
      placed.add(h);
      out.push({ label: h.name, section: h.containerName ?? section.name, isSection: false, symbol: h });
    }
  }
  const rest = headings
    .filter(h => !placed.has(h))
    .sort((a, b) => collator.compare(a.location.uri, b.location.uri) || byLine(a, b));
  for (const h of rest) {
    out.push({ label: h.name, section: h.containerName, isSection: false, symbol: h });
  }
  return out;
}
