import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { modulePackSchema, type ModulePack } from './pack.schemas';

/** One problem in a pack, pointing where an author would look: `file:line: field: message`. */
export interface PackError {
  file: string;
  line: number;
  field: string;
  message: string;
}

/** A pack that passed validation: module.yaml's content, the Markdown of its `read` steps, and a hash of both. */
export interface LoadedPack {
  module: ModulePack;
  bodies: Record<string, string>;
  contentHash: string;
  /** module.yaml as written, kept so a downloaded pack is the one imported. */
  sourceYaml: string;
  /** Where the pack's module.yaml is, as errors name it, and the lines of its slug and aliases, for errors found
   * later (a slug or alias another module already uses). */
  file: string;
  slugLine: number;
  aliasLines: number[];
}

export type PackResult = { ok: true; pack: LoadedPack } | { ok: false; errors: PackError[] };

/** `file:line: field: message`; an error about a whole file (line 0, say a file an archive may not hold) has no line. */
export function formatPackError(error: PackError): string {
  return `${error.file}${error.line > 0 ? `:${error.line}` : ''}: ${error.field ? `${error.field}: ` : ''}${error.message}`;
}

/** The packs in `dir`: every sub-folder is one pack, named by its slug. */
export function packFolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort()
    .map((name) => path.join(dir, name));
}

/** A pack's files by name (module.yaml and its .md files), as read from a folder or an uploaded archive. */
export type PackFiles = ReadonlyMap<string, string>;

/**
 * Reads and validates the pack in `folder`. `shownAs` is how errors name the folder (e.g. relative to the
 * working directory), so a message can be pasted into an editor's "go to file".
 */
export function loadPack(folder: string, shownAs = folder): PackResult {
  const files = new Map<string, string>();
  for (const name of readdirSync(folder)) {
    const isPackFile = name === 'module.yaml' || name.endsWith('.md');
    if (isPackFile && statSync(path.join(folder, name)).isFile()) {
      files.set(name, readFileSync(path.join(folder, name), 'utf8'));
    }
  }
  return loadPackFiles(files, { shownAs, folderName: path.basename(folder) });
}

/**
 * Validates a pack held in memory (an uploaded archive's files, or a folder's), with the same
 * `file:line: field: message` errors whatever it came from. `shownAs` is the folder as errors name it ('' for
 * files at an archive's root); `folderName`, when the pack has a folder, must equal its slug.
 */
export function loadPackFiles(
  files: PackFiles,
  options: { shownAs: string; folderName?: string },
): PackResult {
  const shown = (name: string) => (options.shownAs ? path.join(options.shownAs, name) : name);
  const file = shown('module.yaml');
  const sourceYaml = files.get('module.yaml');
  if (sourceYaml === undefined) return fail({ file, line: 1, field: '', message: 'module.yaml is missing' });

  const lineCounter = new LineCounter();
  const document = parseDocument(sourceYaml, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      ok: false,
      errors: document.errors.map((e) => ({
        file,
        line: lineCounter.linePos(e.pos[0]).line,
        field: '',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  }

  const lineOf = (fieldPath: PropertyKey[]) => lineOfPath(document, lineCounter, fieldPath);
  let data: unknown;
  try {
    // The yaml library stops alias expansion past its limit ("billion laughs") by throwing.
    data = document.toJS();
  } catch (error) {
    return fail({ file, line: 1, field: '', message: `not usable YAML: ${(error as Error).message}` });
  }
  const parsed = modulePackSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => toPackError(issue, file, lineOf)) };
  }

  const module = parsed.data;
  const errors: PackError[] = [];
  const { folderName } = options;
  if (folderName !== undefined && module.slug !== folderName) {
    errors.push({
      file,
      line: lineOf(['slug']),
      field: 'slug',
      message: `must equal the folder name "${folderName}"`,
    });
  }
  const bodies: Record<string, string> = {};
  module.steps.forEach((step, index) => {
    if (step.kind !== 'read') return;
    const at = { file, line: lineOf(['steps', index, 'body']), field: `steps[${index}].body` };
    const body = files.get(step.body);
    // A body is a file beside module.yaml, never a path out of the pack.
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.md$/.test(step.body)) {
      errors.push({ ...at, message: 'must be the name of a .md file in the pack folder' });
    } else if (body === undefined) {
      errors.push({ ...at, message: `file ${shown(step.body)} does not exist` });
    } else {
      bodies[step.body] = body;
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  const pack: LoadedPack = {
    module,
    bodies,
    contentHash: hashPack(module, bodies),
    sourceYaml,
    file,
    slugLine: lineOf(['slug']),
    aliasLines: module.aliases.map((_, index) => lineOf(['aliases', index])),
  };
  return { ok: true, pack };
}

/** A hash of what a learner would see: the validated module and its bodies, independent of YAML formatting. */
function hashPack(module: ModulePack, bodies: Record<string, string>): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical({ module, bodies })))
    .digest('hex');
}

function toPackError(issue: z.core.$ZodIssue, file: string, lineOf: (p: PropertyKey[]) => number): PackError {
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const fieldPath = unknownKeys.length > 0 ? [...issue.path, unknownKeys[0]!] : issue.path;
  let message = issue.message;
  if (missing) message = 'is required';
  if (unknownKeys.length > 0) message = `is not a field of this part of a pack (${unknownKeys.join(', ')})`;
  // In `{ label: a, b, seconds: 4 }` YAML reads `b` as a key of its own: say how to keep the comma.
  if (unknownKeys.length > 0 && lookup(issue.input, unknownKeys[0]!) === null) {
    message += '; if a comma belongs to the text before it, put that text in quotes';
  }
  return { file, line: lineOf(fieldPath), field: fieldName(fieldPath), message };
}

/** `steps[2].pacer.phases[0].seconds` from ['steps', 2, 'pacer', 'phases', 0, 'seconds']. */
function fieldName(fieldPath: PropertyKey[]): string {
  return fieldPath
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/**
 * The line of the node at `fieldPath`; for a field that is missing, the line of its nearest parent that exists
 * (the step or list it should be in), so the author lands where to add it.
 */
function lineOfPath(document: Document, lineCounter: LineCounter, fieldPath: PropertyKey[]): number {
  for (let length = fieldPath.length; length > 0; length--) {
    const keys = fieldPath.slice(0, length).map((key) => (typeof key === 'symbol' ? String(key) : key));
    const node: unknown = document.getIn(keys, true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return document.contents?.range ? lineCounter.linePos(document.contents.range[0]).line : 1;
}

function lookup(input: unknown, key: string): unknown {
  return input && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
}

function fail(error: PackError): PackResult {
  return { ok: false, errors: [error] };
}
