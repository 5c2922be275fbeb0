// What the outcome views show, computed from the server's answers: the status bar text, the
// outcomes tree, and how an error answer reads. No `vscode` import.

import type { Outcome, OutcomesResult, SectionProgress } from './lsp_ext';

/** The state of the outcome progress as the status bar and the outcomes view know it. */
export type ProgressState =
  | { kind: 'loading' }
  | { kind: 'ready'; result: OutcomesResult }
  | { kind: 'unsupported'; message: string }
  | { kind: 'failed'; message: string }
  /** No server runs (it did not start, or gave up after crashes): no numbers to show. */
  | { kind: 'stopped'; message: string };

/** JSON-RPC error codes a server answers for a command it does not have. */
const UNSUPPORTED_CODES = new Set([-32601, -32602, -32600]);

/** Whether an error answer means "this server does not implement the command". */
export function isUnsupported(err: unknown): boolean {
  if (err && typeof err === 'object') {
    const { code, message } = err as { code?: unknown; message?: unknown };
    if (typeof code === 'number' && UNSUPPORTED_CODES.has(code)) {
      return true;
    }
    if (typeof message === 'string' && /unknown command|method not found|not supported/i.test(message)) {
      return true;
    }
  }
  return false;
}

/** The text of an error answer, for a message. */
export function errorText(err: unknown): string {
  if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') {
    return (err as { message: string }).message;
  }
  return String(err);
}

/** The message for a command this server version lacks. */
export function unsupportedMessage(command: string, what: string): string {
  return (
    `This primer-ls version does not support ${what} (the ${command} command). ` +
    'Update primer-ls (or primer.server.path) to a newer build, then run "Primer: Restart Server".'
  );
}

/** The state after a `primer.outcomes` call that failed with `err`. */
export function stateFromError(err: unknown): ProgressState {
  if (isUnsupported(err)) {
    return { kind: 'unsupported', message: unsupportedMessage('primer.outcomes', 'learning outcomes') };
  }
  return { kind: 'failed', message: `Could not read the learning outcomes: ${errorText(err)}` };
}

/** Whether a value has the shape of a `primer.outcomes` answer. */
export function isOutcomesResult(v: unknown): v is OutcomesResult {
  if (!v || typeof v !== 'object') {
    return false;
  }
  const r = v as Partial<OutcomesResult>;
  return (
    typeof r.done === 'number' &&
    typeof r.total === 'number' &&
    Array.isArray(r.sections) &&
    Array.isArray(r.outcomes)
  );
}

/** `done/total`, e.g. `5/12`. */
export function fraction(p: { done: number; total: number }): string {
  return `${p.done}/${p.total}`;
}

/**
 * The status bar text, with its icon: "$(checklist) Outcomes 5/12", "… —" when there is no count,
 * "$(error) primer-ls" when no server runs.
 */
export function statusText(state: ProgressState): string {
  switch (state.kind) {
    case 'ready':
      return `$(checklist) Outcomes ${fraction(state.result)}`;
    case 'loading':
      return '$(checklist) Outcomes …';
    case 'stopped':
      return '$(error) primer-ls';
    default:
      return '$(checklist) Outcomes —';
  }
}

/** The status bar tooltip. */
export function statusTooltip(state: ProgressState): string {
  switch (state.kind) {
    case 'ready': {
      const r = state.result;
      const lines = [`${r.done} of ${r.total} learning outcomes ticked in your notes.`];
      for (const s of r.sections) {
        lines.push(`${s.title}: ${fraction(s)}`);
      }
      lines.push('Click to open the outcomes view.');
      return lines.join('\n');
    }
    case 'loading':
      return 'Reading the learning outcomes…';
    case 'stopped':
      return `${state.message}\nClick to restart primer-ls.`;
    default:
      return state.message;
  }
}

/** Section titles in the outcomes view are cut to this many characters, so the count fits. */
export const SECTION_LABEL_MAX = 24;

/**
 * A section's label in the outcomes view: short enough that the count after it stays visible at
 * the default sidebar width. The introduction is "Introduction"; a long title is cut after a
 * whole word, with "…" (the tooltip has the full title).
 */
export function sectionLabel(section: { id: string; title: string }, max = SECTION_LABEL_MAX): string {
  if (section.id === 'intro') {
    return 'Introduction';
  }
  const title = section.title.trim();
  if (title.length <= max) {
    return title;
  }
  const cut = title.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  const words = (space > 0 ? cut.slice(0, space) : cut).replace(/[\s,:;.\-–—]+$/, '');
  return `${words}…`;
}

/** One section of the outcomes tree with its outcomes. */
export interface SectionNode {
  section: SectionProgress;
  outcomes: Outcome[];
  complete: boolean;
  /** Whether any note lists one of its outcomes, ticked or not: those sections start expanded. */
  started: boolean;
}

/**
 * The outcomes grouped by section, in the server's order. Outcomes of a section the answer does
 * not list (which should not happen) get a section of their own at the end, so none is lost.
 */
export function sectionNodes(result: OutcomesResult): SectionNode[] {
  const nodes = new Map<string, SectionNode>();
  for (const section of result.sections) {
    nodes.set(section.id, { section, outcomes: [], complete: false, started: false });
  }
  for (const outcome of result.outcomes) {
    let node = nodes.get(outcome.section);
    if (!node) {
      const section = { id: outcome.section, title: outcome.sectionTitle ?? outcome.section, done: 0, total: 0 };
      node = { section, outcomes: [], complete: false, started: false };
      nodes.set(outcome.section, node);
      for (const o of result.outcomes) {
        if (o.section === outcome.section) {
          section.total++;
          section.done += o.done ? 1 : 0;
        }
      }
    }
    node.outcomes.push(outcome);
  }
  for (const node of nodes.values()) {
    node.complete = node.section.total > 0 && node.section.done >= node.section.total;
    node.started = node.outcomes.some(o => o.done || (o.ticked?.length ?? 0) > 0 || (o.unticked?.length ?? 0) > 0);
  }
  return [...nodes.values()];
}

/** The view's one-line summary above the tree. */
export function viewMessage(state: ProgressState): string | undefined {
  switch (state.kind) {
    case 'ready':
      return state.result.total === 0
        ? 'The primer lists no learning outcomes.'
        : `${state.result.done} of ${state.result.total} outcomes done.`;
    case 'loading':
      return 'Reading the learning outcomes…';
    default:
      return state.message;
  }
}

/** The last path segment of a file URI, for labels ("week1.md"). */
export function uriBaseName(uri: string): string {
  const clean = uri.split(/[?#]/)[0];
  const last = clean.slice(clean.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** The tooltip of an outcome: its text, and the notes that tick it or list it unticked. */
export function outcomeTooltip(o: Outcome): string {
  const lines = [`${o.id}: ${o.text}`];
  const where = (locs: { uri: string }[] | undefined) => [...new Set((locs ?? []).map(l => uriBaseName(l.uri)))].join(', ');
  if (o.ticked?.length) {
    lines.push(`Ticked in ${where(o.ticked)}`);
  }
  if (o.unticked?.length) {
    lines.push(`Listed, not ticked, in ${where(o.unticked)}`);
  }
  if (!o.ticked?.length && !o.unticked?.length) {
    lines.push('No note lists it yet.');
  }
  return lines.join('\n');
}
