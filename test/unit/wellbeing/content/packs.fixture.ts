import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Small packs written to a temporary folder, for tests that need a pack broken in one particular way.

/** A valid module.yaml for `slug`. Line numbers matter to the tests: step 0 starts on line 14. */
export function validModuleYaml(slug: string, title = 'A test module'): string {
  return `slug: ${slug}
title: ${title}
summary: A module written for a test.
audience: [all]
estimatedMinutes: 12
aliases: []
objectives:
  - Read a page.
  - Answer a question.
sources:
  - citation: "Author A. A title. A journal. 2020;1:1-2."
    url: https://doi.org/10.1000/test
steps:
  - id: intro
    kind: read
    title: Introduction
    body: intro.md
  - id: breathe
    kind: practice
    title: Breathing
    intro: Breathe slowly.
    pacer:
      rounds: 2
      phases:
        - { label: Breathe in, seconds: 4 }
        - { label: Breathe out, seconds: 4 }
  - id: check
    kind: check
    title: Check your understanding
    passMark: 1
    questions:
      - id: q1
        type: single
        prompt: Which is right?
        options:
          - { id: a, text: This one, correct: true, feedback: Yes. }
          - { id: b, text: That one, feedback: No. }
  - id: reflect
    kind: reflection
    title: Your reflection
    prompt: What will you try?
`;
}

/** A folder of packs that removes itself after the file's tests. */
export function usePackFolder(): {
  dir: () => string;
  write: (slug: string, yaml: string, bodies?: Record<string, string>) => string;
} {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'rounds-packs-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return {
    dir: () => root,
    /** Writes (or rewrites) the pack `slug`; by default with the intro.md its read step needs. */
    write(slug, yaml, bodies = { 'intro.md': '## Hello\n\nA short page.\n' }) {
      const folder = path.join(root, slug);
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, 'module.yaml'), yaml);
      for (const [name, text] of Object.entries(bodies)) writeFileSync(path.join(folder, name), text);
      return folder;
    },
  };
}
