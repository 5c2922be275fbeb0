// The server's protocol extensions as the extension uses them: command names, their arguments
// and results (docs/protocol.md is the reference). Types only, no `vscode` import.

/** `workspace/executeCommand` commands that primer-ls implements. */
export const ServerCommand = {
  outcomes: 'primer.outcomes',
  insertChecklist: 'primer.insertChecklist',
  coverage: 'primer.coverage',
} as const;

/**
 * `primer/outcomesChanged` (server → client): the workspace-wide counts may have changed (the
 * workspace was indexed, the primer loaded, a checklist ticked, notes changed on disk).
 */
export const OutcomesChangedNotification = 'primer/outcomesChanged';

/** The params of `primer/outcomesChanged`. */
export interface OutcomesChangedParams {
  done: number;
  total: number;
}

/** LSP SymbolKind values that `workspace/symbol` uses for the primer's structure. */
export const SymbolKind = {
  /** A primer section (one file of the course text). */
  Module: 2,
  /** A heading inside a section; `containerName` is the section's title. */
  String: 15,
} as const;

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Location {
  uri: string;
  range: Range;
}

/** One entry of a `workspace/symbol` answer (SymbolInformation). */
export interface SymbolInformation {
  name: string;
  kind: number;
  location: Location;
  containerName?: string;
}

/** A section's progress in a `primer.outcomes` answer. */
export interface SectionProgress {
  id: string;
  title: string;
  uri?: string;
  done: number;
  total: number;
}

/** One learning outcome in a `primer.outcomes` answer. */
export interface Outcome {
  id: string;
  text: string;
  section: string;
  sectionTitle?: string;
  done: boolean;
  location?: Location;
  ticked?: Location[];
  unticked?: Location[];
  inDocument?: boolean;
}

/** The answer to `primer.outcomes`. */
export interface OutcomesResult {
  done: number;
  total: number;
  sections: SectionProgress[];
  outcomes: Outcome[];
}

/** The argument of `primer.outcomes` (optional: progress is always workspace-wide). */
export interface OutcomesParams {
  textDocument: { uri: string };
}

/** The argument of `primer.insertChecklist`. */
export interface InsertChecklistParams {
  textDocument: { uri: string };
  position: Position;
  section?: string;
  /** Without `section`: the server asks the user which checklist (window/showMessageRequest). */
  ask?: boolean;
}

/** The answer to `primer.insertChecklist`. */
export interface InsertChecklistResult {
  inserted: number;
}

/** The answer to `primer.coverage`. */
export interface CoverageResult {
  sections: { id: string; title: string; uri?: string; notes: string[] }[];
  notes: { uri: string; sections: string[] }[];
}
