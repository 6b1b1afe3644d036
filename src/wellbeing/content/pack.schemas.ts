import { z } from 'zod';

// The shape of a module pack's module.yaml, as content/README.md describes it. Messages finish the sentence
// "<file>:<line>: <field>: …", so each one says what the field must be.

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const idPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const audiences = [
  'all',
  'physician',
  'nurse',
  'pharmacist',
  'technician',
  'student',
  'mentor',
] as const;
export const instruments = ['phq-2', 'gad-2', 'pss-10', 'mini-z-2'] as const;
export const stepKinds = ['read', 'practice', 'check', 'instrument', 'reflection'] as const;

const text = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .trim()
    .min(1, `must be ${what}`);
const slug = z
  .string({ error: 'must be a slug (lowercase letters, digits and hyphens)' })
  .regex(slugPattern, 'must be a slug (lowercase letters, digits and hyphens)');
const id = z
  .string({ error: 'must be an id (lowercase letters, digits and hyphens)' })
  .regex(idPattern, 'must be an id (lowercase letters, digits and hyphens)');

/** Only https links: a pack is shown inside the LMS frame, where mixed content is blocked and http is unsafe. */
const httpsUrl = z.string({ error: 'must be an https URL' }).refine((value) => {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an https URL');

const source = z.strictObject({ citation: text('a citation'), url: httpsUrl });

const phase = z.strictObject({
  label: text('a label'),
  seconds: z
    .number({ error: 'must be a whole number of seconds from 1 to 120' })
    .int('must be a whole number of seconds from 1 to 120')
    .min(1, 'must be a whole number of seconds from 1 to 120')
    .max(120, 'must be a whole number of seconds from 1 to 120'),
});

const option = z.strictObject({
  id,
  text: text('the text of the option'),
  correct: z.boolean({ error: 'must be true or false' }).optional(),
  feedback: text('feedback for this option'),
});

const question = z
  .strictObject({
    id,
    type: z.enum(['single', 'multiple'], { error: 'must be single or multiple' }),
    prompt: text('the question'),
    options: z.array(option, { error: 'must be a list of options' }).min(2, 'must list at least two options'),
  })
  .superRefine((q, ctx) => {
    const correct = q.options.filter((o) => o.correct).length;
    if (q.type === 'single' && correct !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'a single-choice question needs exactly one correct option',
      });
    }
    if (q.type === 'multiple' && correct < 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'a multiple-choice question needs a correct option',
      });
    }
    duplicateIds(q.options, 'options', ctx);
  });

const readStep = z.strictObject({
  id,
  kind: z.literal('read'),
  title: text('a title'),
  body: text('a Markdown file name'),
});

const practiceStep = z.strictObject({
  id,
  kind: z.literal('practice'),
  title: text('a title'),
  intro: text('Markdown text shown above the pacer'),
  pacer: z.strictObject(
    {
      rounds: z
        .number({ error: 'must be a whole number from 1 to 20' })
        .int('must be a whole number from 1 to 20')
        .min(1, 'must be a whole number from 1 to 20')
        .max(20, 'must be a whole number from 1 to 20'),
      phases: z.array(phase, { error: 'must be a list of phases' }).min(1, 'must list at least one phase'),
    },
    { error: 'must be a pacer with rounds and phases' },
  ),
});

const checkStep = z
  .strictObject({
    id,
    kind: z.literal('check'),
    title: text('a title'),
    passMark: z
      .number({ error: 'must be a whole number of questions' })
      .int('must be a whole number of questions')
      .min(1, 'must be at least 1'),
    questions: z
      .array(question, { error: 'must be a list of questions' })
      .min(1, 'must list at least one question'),
  })
  .superRefine((step, ctx) => {
    if (step.passMark > step.questions.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['passMark'],
        message: `must be at most the number of questions (${step.questions.length})`,
      });
    }
    duplicateIds(step.questions, 'questions', ctx);
  });

const instrumentStep = z.strictObject({
  id,
  kind: z.literal('instrument'),
  title: text('a title').optional(),
  instrument: z.enum(instruments, { error: `must be one of ${instruments.join(', ')}` }),
  // ARCHITECTURE.md: self-checks are always optional and private.
  optional: z.literal(true, { error: 'must be true (self-checks are always optional)' }),
});

const reflectionStep = z.strictObject({
  id,
  kind: z.literal('reflection'),
  title: text('a title'),
  prompt: text('a prompt'),
});

const step = z.discriminatedUnion(
  'kind',
  [readStep, practiceStep, checkStep, instrumentStep, reflectionStep],
  {
    error: `must be one of ${stepKinds.join(', ')}`,
  },
);

export const modulePackSchema = z
  .strictObject({
    slug,
    title: text('a title'),
    summary: text('a summary'),
    audience: z
      .array(z.enum(audiences, { error: `must be one of ${audiences.join(', ')}` }), {
        error: 'must be a list of audiences',
      })
      .min(1, 'must list at least one audience'),
    estimatedMinutes: z
      .number({ error: 'must be a whole number of minutes from 10 to 20' })
      .int('must be a whole number of minutes from 10 to 20')
      .min(10, 'must be a whole number of minutes from 10 to 20')
      .max(20, 'must be a whole number of minutes from 10 to 20'),
    aliases: z.array(slug, { error: 'must be a list of slugs' }),
    objectives: z
      .array(text('an objective'), { error: 'must be a list of objectives' })
      .min(2, 'must list 2 to 5 objectives')
      .max(5, 'must list 2 to 5 objectives'),
    sources: z.array(source, { error: 'must be a list of sources' }).min(1, 'must list at least one source'),
    steps: z.array(step, { error: 'must be a list of steps' }).min(1, 'must list at least one step'),
  })
  .superRefine((pack, ctx) => {
    duplicateIds(pack.steps, 'steps', ctx);
    for (const kind of ['check', 'reflection'] as const) {
      if (!pack.steps.some((s) => s.kind === kind)) {
        ctx.addIssue({ code: 'custom', path: ['steps'], message: `must include at least one ${kind} step` });
      }
    }
    if (pack.aliases.includes(pack.slug)) {
      ctx.addIssue({ code: 'custom', path: ['aliases'], message: 'must not repeat the module’s own slug' });
    }
  });

/** Adds an issue at the second and later list items whose `id` repeats an earlier one's. */
function duplicateIds(items: { id: string }[], list: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) {
      ctx.addIssue({ code: 'custom', path: [list, index, 'id'], message: `duplicate id "${item.id}"` });
    }
    seen.add(item.id);
  });
}

export type ModulePack = z.infer<typeof modulePackSchema>;
export type ModuleStep = ModulePack['steps'][number];
