import { formatPackError, loadPack } from '../../../../src/wellbeing';
import { usePackFolder, validModuleYaml } from './packs.fixture';

/** The errors of the pack `slug` in the temporary folder, as an author would read them. */
function errorsOf(folder: string, slug: string): string[] {
  const result = loadPack(folder, `packs/${slug}`);
  return result.ok ? [] : result.errors.map(formatPackError);
}

describe('pack errors name the file, the line and the field', () => {
  const packs = usePackFolder();

  it('when a valid pack is loaded, then it passes with its body and a content hash', () => {
    const result = loadPack(packs.write('fine', validModuleYaml('fine')));
    expect(result.ok && Object.keys(result.pack.bodies)).toEqual(['intro.md']);
    expect(result.ok && result.pack.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when a required field is missing, then the error points at where it belongs', () => {
    const yaml = validModuleYaml('no-title').replace('    title: Introduction\n', '');
    expect(errorsOf(packs.write('no-title', yaml), 'no-title')).toEqual([
      'packs/no-title/module.yaml:14: steps[0].title: is required',
    ]);
    const noSummary = validModuleYaml('no-summary').replace(/^summary: .*\n/m, '');
    expect(errorsOf(packs.write('no-summary', noSummary), 'no-summary')).toEqual([
      'packs/no-summary/module.yaml:1: summary: is required',
    ]);
  });

  it('when module.yaml expands aliases without end ("billion laughs"), then it is refused with the file, not a crash', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`);
    }
    const errors = errorsOf(packs.write('laughs', `${levels.join('\n')}\n`), 'laughs');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^packs\/laughs\/module\.yaml:1: not usable YAML: /);
  });

  it('when a field has the wrong type, then the error names the field, its line and what it must be', () => {
    const yaml = validModuleYaml('bad-type').replace(
      '{ label: Breathe out, seconds: 4 }',
      '{ label: Breathe out, seconds: four }',
    );
    expect(errorsOf(packs.write('bad-type', yaml), 'bad-type')).toEqual([
      'packs/bad-type/module.yaml:26: steps[1].pacer.phases[1].seconds: must be a whole number of seconds from 1 to 120',
    ]);
    const minutes = validModuleYaml('too-long').replace('estimatedMinutes: 12', 'estimatedMinutes: 45');
    expect(errorsOf(packs.write('too-long', minutes), 'too-long')).toEqual([
      'packs/too-long/module.yaml:5: estimatedMinutes: must be a whole number of minutes from 10 to 20',
    ]);
  });

  it('when a body file is missing, then the error names the step’s body line', () => {
    const folder = packs.write('no-body', validModuleYaml('no-body'), {});
    expect(errorsOf(folder, 'no-body')).toEqual([
      'packs/no-body/module.yaml:17: steps[0].body: file packs/no-body/intro.md does not exist',
    ]);
  });

  it('when a body names a path out of the pack, then it is refused', () => {
    const yaml = validModuleYaml('escape').replace('body: intro.md', 'body: ../fine/intro.md');
    expect(errorsOf(packs.write('escape', yaml), 'escape')).toEqual([
      'packs/escape/module.yaml:17: steps[0].body: must be the name of a .md file in the pack folder',
    ]);
  });

  it('when two steps share an id, then the second is named', () => {
    const yaml = validModuleYaml('twice').replace('- id: reflect', '- id: intro');
    expect(errorsOf(packs.write('twice', yaml), 'twice')).toEqual([
      'packs/twice/module.yaml:38: steps[3].id: duplicate id "intro"',
    ]);
  });

  it('when a pack has no check step, then the steps list is named', () => {
    const yaml = validModuleYaml('no-check').replace(/ {2}- id: check\n[\s\S]*?(?= {2}- id: reflect)/, '');
    expect(errorsOf(packs.write('no-check', yaml), 'no-check')).toEqual([
      'packs/no-check/module.yaml:14: steps: must include at least one check step',
    ]);
  });

  it('when a check cannot be passed as written, then the pass mark or the options are named', () => {
    const passMark = validModuleYaml('high-mark').replace('passMark: 1', 'passMark: 3');
    expect(errorsOf(packs.write('high-mark', passMark), 'high-mark')).toEqual([
      'packs/high-mark/module.yaml:30: steps[2].passMark: must be at most the number of questions (1)',
    ]);
    const twoRight = validModuleYaml('two-right').replace(
      'text: That one,',
      'text: That one, correct: true,',
    );
    expect(errorsOf(packs.write('two-right', twoRight), 'two-right')).toEqual([
      'packs/two-right/module.yaml:36: steps[2].questions[0].options: a single-choice question needs exactly one correct option',
    ]);
  });

  it('when a pack has no reflection step, then the steps list is named', () => {
    const yaml = validModuleYaml('no-reflection').replace(/ {2}- id: reflect\n[\s\S]*$/, '');
    expect(errorsOf(packs.write('no-reflection', yaml), 'no-reflection')).toEqual([
      'packs/no-reflection/module.yaml:14: steps: must include at least one reflection step',
    ]);
  });

  it('when a source is not https, then the url line is named', () => {
    const yaml = validModuleYaml('http').replace('https://doi.org', 'http://doi.org');
    expect(errorsOf(packs.write('http', yaml), 'http')).toEqual([
      'packs/http/module.yaml:12: sources[0].url: must be an https URL',
    ]);
  });

  it('when the slug differs from the folder, then the slug line is named', () => {
    expect(errorsOf(packs.write('folder-name', validModuleYaml('other-name')), 'folder-name')).toEqual([
      'packs/folder-name/module.yaml:1: slug: must equal the folder name "folder-name"',
    ]);
  });

  it('when a step kind is unknown, then the kind is named with the kinds allowed', () => {
    const yaml = validModuleYaml('odd-kind').replace('kind: reflection', 'kind: journal');
    expect(errorsOf(packs.write('odd-kind', yaml), 'odd-kind')).toEqual([
      'packs/odd-kind/module.yaml:39: steps[3].kind: must be one of read, practice, check, instrument, reflection',
    ]);
  });

  it('when an unquoted label holds a comma, then the stray field is named with the fix', () => {
    const yaml = validModuleYaml('comma').replace('label: Breathe out,', 'label: Breathe out, then rest,');
    expect(errorsOf(packs.write('comma', yaml), 'comma')).toEqual([
      'packs/comma/module.yaml:26: steps[1].pacer.phases[1].then rest: is not a field of this part of a pack (then rest); if a comma belongs to the text before it, put that text in quotes',
    ]);
  });

  it('when module.yaml is not valid YAML, then the line of the fault is named', () => {
    const yaml = validModuleYaml('broken').replace('title: Introduction', 'title: [Introduction');
    expect(errorsOf(packs.write('broken', yaml), 'broken')[0]).toMatch(
      /^packs\/broken\/module\.yaml:\d+: not valid YAML/,
    );
  });
});
