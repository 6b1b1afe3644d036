import { zipSync } from 'fflate';
import { formatPackError, packsInArchive, readPackArchive } from '../../../../src/wellbeing/content';
import { declareSize, tarFiles, tarGzOf, tarOf, zipOf } from './archives.fixture';
import { validModuleYaml } from './packs.fixture';

// The uploaded archive as the server reads it: layouts, formats, and every way an archive may try to escape
// the pack or the server's memory.

const pack = { 'alpha/module.yaml': validModuleYaml('alpha'), 'alpha/intro.md': '## Hello\n' };

/** The archive's errors as the admin reads them, or its files. */
async function read(bytes: Uint8Array, name = 'upload.zip') {
  const result = await readPackArchive(bytes, name);
  return result.ok
    ? { files: Object.fromEntries(result.files) }
    : { errors: result.errors.map(formatPackError) };
}

describe('the layouts and formats a pack comes in', () => {
  it('when a zip holds <slug>/module.yaml and its Markdown, then both are read and form one pack in that folder', async () => {
    expect(await read(zipOf(pack))).toEqual({ files: pack });
    const result = await readPackArchive(zipOf(pack), 'upload.zip');
    const { packs, errors } = packsInArchive(result.ok ? result.files : new Map(), 'upload.zip');
    expect(errors).toEqual([]);
    expect(packs.map((p) => [p.folder, [...p.files.keys()]])).toEqual([
      ['alpha', ['module.yaml', 'intro.md']],
    ]);
  });

  it('when the same pack comes as a .tar or a .tar.gz (with ./ paths and folder entries), then the files are the same', async () => {
    const entries = [{ name: './alpha/', type: 'directory' as const }, ...tarFiles(pack)];
    entries[1]!.name = `./${entries[1]!.name}`;
    expect(await read(await tarOf(entries), 'upload.tar')).toEqual({ files: pack });
    expect(await read(await tarGzOf(entries), 'upload.tar.gz')).toEqual({ files: pack });
  });

  it('when one pack’s files sit at the top of the archive, then they form one pack without a folder', () => {
    const files = new Map([
      ['module.yaml', 'slug: x'],
      ['intro.md', '# x'],
    ]);
    expect(packsInArchive(files, 'x.zip').packs.map((p) => p.folder)).toEqual(['']);
  });

  it('when the archive holds several packs beside a README, then each folder is a pack and the README is ignored', () => {
    const files = new Map([
      ['README.md', 'about'],
      ['b/module.yaml', 'slug: b'],
      ['a/module.yaml', 'slug: a'],
    ]);
    expect(packsInArchive(files, 'x.zip').packs.map((p) => p.folder)).toEqual(['a', 'b']);
  });

  it('when files sit too deep or there is no module.yaml, then the file or the archive is named', () => {
    expect(
      packsInArchive(new Map([['modules/a/module.yaml', '']]), 'x.zip').errors.map(formatPackError),
    ).toEqual([
      'modules/a/module.yaml: is too deep: a pack’s files sit beside its module.yaml, in a folder named after its slug',
    ]);
    expect(packsInArchive(new Map([['notes.md', '']]), 'x.zip').errors.map(formatPackError)).toEqual([
      'x.zip: holds no module.yaml: put each pack in a folder named after its slug, or one pack’s files at the top',
    ]);
  });

  it('when the file is neither zip nor tar, then it is refused by name', async () => {
    expect(await read(new TextEncoder().encode('slug: alpha\n'), 'module.yaml')).toEqual({
      errors: ['module.yaml: is not a .zip, .tar or .tar.gz archive'],
    });
  });

  it('when the archive holds macOS or hidden files, then they are skipped', async () => {
    const zip = zipOf({ ...pack, '__MACOSX/alpha/._intro.md': 'x', 'alpha/.DS_Store': 'x' });
    expect(await read(zip)).toEqual({ files: pack });
  });
});

describe('what an archive may not hold', () => {
  it('when an entry’s path leaves the pack (.., absolute, backslash), then each is refused', async () => {
    const zip = zipOf({ ...pack, '../escape.md': 'x', '/etc/module.yaml': 'x', 'alpha\\win.md': 'x' });
    expect((await read(zip)).errors).toEqual([
      '../escape.md: must stay inside the pack (no "..", absolute path or backslash)',
      '/etc/module.yaml: must stay inside the pack (no "..", absolute path or backslash)',
      'alpha\\win.md: must stay inside the pack (no "..", absolute path or backslash)',
    ]);
    const tar = await tarOf([...tarFiles(pack), { name: 'alpha/../../escape.md', content: 'x' }]);
    expect((await read(tar, 'upload.tar')).errors).toEqual([
      'alpha/../../escape.md: must stay inside the pack (no "..", absolute path or backslash)',
    ]);
  });

  it('when an entry is a symbolic link (tar or zip) or a hard link, then it is refused', async () => {
    const tar = await tarOf([
      ...tarFiles(pack),
      { name: 'alpha/link.md', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'alpha/hard.md', type: 'link', linkname: 'alpha/intro.md' },
    ]);
    expect((await read(tar, 'upload.tar')).errors).toEqual([
      'alpha/link.md: is a link; a pack holds plain files only',
      'alpha/hard.md: is a link; a pack holds plain files only',
    ]);
    const symlink = { os: 3, attrs: (0o120777 << 16) >>> 0 };
    const zip = zipSync({
      'alpha/module.yaml': new TextEncoder().encode('x'),
      'alpha/x.md': [new TextEncoder().encode('/etc/passwd'), symlink],
    });
    expect((await read(zip)).errors).toEqual(['alpha/x.md: is a link; a pack holds plain files only']);
  });

  it('when an entry is not module.yaml or Markdown, then it is refused by name', async () => {
    expect((await read(zipOf({ ...pack, 'alpha/photo.png': 'x', 'alpha/module.yml': 'x' }))).errors).toEqual([
      'alpha/photo.png: is not a pack file: a pack holds module.yaml and .md files',
      'alpha/module.yml: is not a pack file: a pack holds module.yaml and .md files',
    ]);
  });

  it('when a file is not UTF-8 text, then it is refused', async () => {
    const zip = zipOf({ ...pack, 'alpha/intro.md': new Uint8Array([0xff, 0xfe, 0x00, 0xc3]) });
    expect((await read(zip)).errors).toEqual(['alpha/intro.md: is not UTF-8 text']);
  });

  it('when there are more than 200 entries, then the archive is refused', async () => {
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`alpha/p${i}.md`, 'x']));
    expect((await read(zipOf(many))).errors).toEqual(['upload.zip: holds more than 200 files']);
    const tar = await tarOf(tarFiles(many));
    expect((await read(tar, 'upload.tar')).errors).toEqual(['upload.tar: holds more than 200 files']);
  });
});

describe('archives that unpack to more than a pack (checked before inflating)', () => {
  it('when a file declares more than 1 MB, then it is refused by its declared size without being inflated', async () => {
    // The entry's data is not deflate at all: inflating it would fail as "damaged", so this message proves the
    // declared size refused it first.
    const zip = declareSize(zipOf({ 'alpha/module.yaml': 'slug: alpha' }), 3 * 1024 * 1024 * 1024);
    expect((await read(zip)).errors).toEqual(['alpha/module.yaml: is larger than 1 MB']);
  });

  it('when the files together declare more than 5 MB, then the archive is refused', async () => {
    const big = 'x'.repeat(900 * 1024);
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`alpha/p${i}.md`, big]));
    expect((await read(zipOf(files))).errors).toEqual(['upload.zip: unpacks to more than 5 MB']);
    expect((await read(await tarGzOf(tarFiles(files)), 'upload.tgz')).errors).toEqual([
      'upload.tgz: unpacks to more than 5 MB',
    ]);
  });

  it('when a zip entry lies about its size (a zip bomb), then inflating stops at the declared size', async () => {
    const bomb = declareSize(zipOf({ 'alpha/intro.md': new Uint8Array(50 * 1024 * 1024) }), 100);
    const started = Date.now();
    expect((await read(bomb)).errors).toEqual(['alpha/intro.md: is larger than the archive says']);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('when a .tar.gz unpacks to far more than 5 MB, then gunzip stops at the cap', async () => {
    const bomb = await tarGzOf([{ name: 'alpha/intro.md', content: new Uint8Array(40 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect((await read(bomb, 'bomb.tar.gz')).errors).toEqual(['bomb.tar.gz: unpacks to more than 5 MB']);
  });
});
