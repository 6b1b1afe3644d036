import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import mongoose from 'mongoose';
import request from 'supertest';
import { projectRoot } from '../../../../src/config';
import { TenantModel } from '../../../../src/tenancy';
import {
  findModuleVersion,
  listModules,
  ModuleVersionModel,
  resolveModule,
  uploadModulePack,
} from '../../../../src/wellbeing/content';
import { decodeHtml, openForm, signedInAs, useTestRounds, type Agent } from '../../../support';
import { tarFiles, tarGzOf, zipOf } from '../../../unit/wellbeing/content/archives.fixture';
import { validModuleYaml } from '../../../unit/wellbeing/content/packs.fixture';

// A tenant admin's pack upload and download on /admin/modules, against the sandbox LMS and a real database.
const rounds = useTestRounds();
let admin: Agent;
let tenantId: string;
const otherTenant = new mongoose.Types.ObjectId().toHexString();

beforeAll(async () => {
  admin = (await signedInAs(rounds, 'cmeAdmin')).agent;
  const { issuer, clientId, deploymentId } = rounds.sandbox!;
  tenantId = String((await TenantModel.findOne({ issuer, clientId, deploymentId }).lean())!._id);
});

/** A pack zip of one module `slug` in its folder, with the intro.md its read step needs. */
function packZip(slug: string, yaml = validModuleYaml(slug)): Uint8Array {
  return zipOf({ [`${slug}/module.yaml`]: yaml, [`${slug}/intro.md`]: '## Hello\n\nA short page.\n' });
}

/** Posts the upload form as the page would: its CSRF token first, then the file. */
async function upload(bytes: Uint8Array, fileName = 'pack.zip', agent: Agent = admin) {
  const { csrf } = await openForm(agent, '/admin/modules');
  return agent
    .post('/admin/modules')
    .set('Accept', 'text/html')
    .field('_csrf', csrf)
    .attach('pack', Buffer.from(bytes), fileName);
}

/** An upload that must succeed (303 to the page with its result). */
async function uploadOk(bytes: Uint8Array): Promise<void> {
  const response = await upload(bytes);
  if (response.status !== 303) throw new Error(`the upload answered ${response.status}:\n${response.text}`);
}

/** A download's bytes. */
function download(agent: Agent, url: string) {
  return agent
    .get(url)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

/** The tenant's stored versions of `slug`, oldest first. */
async function versionsOf(slug: string) {
  const rows = await ModuleVersionModel.find({ slug }).sort({ version: 1 }).lean();
  return rows.map((row) => ({ tenantId: String(row.tenantId), version: row.version, title: row.title }));
}

describe('uploading a pack', () => {
  it('when an admin uploads a valid zip, then the module is new, listed with its uploader, and this tenant’s alone', async () => {
    const response = await upload(packZip('ward-huddles'));
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/admin/modules?result=ward-huddles%3Anew%3A1');
    const page = decodeHtml((await admin.get(response.headers.location!).expect(200)).text);
    expect(page).toMatch(/<code>ward-huddles<\/code>: <strong>New<\/strong> \(now version 1\)/);
    expect(page).toMatch(/A test module<br><code class="module-slug">ward-huddles<\/code>/);
    expect(page).toMatch(/Uploaded by [^<]+, <time/);

    const stored = await resolveModule('ward-huddles', tenantId);
    expect(stored).toMatchObject({
      slug: 'ward-huddles',
      version: 1,
      bodies: { 'intro.md': expect.any(String) },
    });
    expect(String(stored!.tenantId)).toBe(tenantId);
    expect(stored!.uploadedBy).not.toBeNull();
    expect((await listModules(tenantId)).map((m) => m.slug)).toContain('ward-huddles');

    expect(await resolveModule('ward-huddles', otherTenant)).toBeNull();
    expect(await findModuleVersion(otherTenant, 'ward-huddles', 1)).toBeNull();
    expect((await listModules(otherTenant)).map((m) => m.slug)).not.toContain('ward-huddles');
  });

  it('when one pack’s files sit at the top of a .tar.gz, then it is uploaded as well', async () => {
    const bytes = await tarGzOf(
      tarFiles({ 'module.yaml': validModuleYaml('top-level'), 'intro.md': '## Hello\n' }),
    );
    const response = await upload(bytes, 'top-level.tar.gz');
    expect(response.headers.location).toBe('/admin/modules?result=top-level%3Anew%3A1');
    expect((await resolveModule('top-level', tenantId))?.bodies).toEqual({ 'intro.md': '## Hello\n' });
  });

  it('when the same pack is uploaded again, then nothing changes; when it changed, then it becomes version 2 beside version 1', async () => {
    await uploadOk(packZip('night-handover'));
    const again = await upload(packZip('night-handover'));
    expect(again.headers.location).toBe('/admin/modules?result=night-handover%3Aunchanged%3A1');
    expect(decodeHtml((await admin.get(again.headers.location!)).text)).toContain(
      '(version 1 stays; nothing changed)',
    );
    expect(await versionsOf('night-handover')).toHaveLength(1);

    const changed = await upload(
      packZip('night-handover', validModuleYaml('night-handover', 'Handover, revised')),
    );
    expect(changed.headers.location).toBe('/admin/modules?result=night-handover%3Aupdated%3A2');
    expect(await versionsOf('night-handover')).toEqual([
      { tenantId, version: 1, title: 'A test module' },
      { tenantId, version: 2, title: 'Handover, revised' },
    ]);
    expect((await resolveModule('night-handover', tenantId))?.version).toBe(2);
    expect((await findModuleVersion(tenantId, 'night-handover', 1))?.title).toBe('A test module');
  });

  it('when one pack of an upload lacks a field, then 400 names file:line: field, and nothing is stored', async () => {
    const before = await ModuleVersionModel.countDocuments();
    const broken = validModuleYaml('broken-one').replace('    title: Introduction\n', '');
    const bytes = zipOf({
      'fine-one/module.yaml': validModuleYaml('fine-one'),
      'fine-one/intro.md': '## Hi\n',
      'broken-one/module.yaml': broken,
      'broken-one/intro.md': '## Hi\n',
    });
    const response = await upload(bytes);
    expect(response.status).toBe(400);
    const page = decodeHtml(response.text);
    expect(page).toContain('There is a problem');
    expect(page).toContain('<code>broken-one/module.yaml:14: steps[0].title: is required</code>');
    expect(page).toContain('aria-invalid="true"');
    expect(await ModuleVersionModel.countDocuments()).toBe(before);
    expect(await resolveModule('fine-one', tenantId)).toBeNull();
  });

  it('when a module takes a bundled module’s alias, then the alias line is named and nothing is stored', async () => {
    const yaml = validModuleYaml('my-burnout').replace('aliases: []', 'aliases: [burnout-basics]');
    const response = await upload(packZip('my-burnout', yaml));
    expect(response.status).toBe(400);
    expect(decodeHtml(response.text)).toContain(
      'my-burnout/module.yaml:6: aliases[0]: "burnout-basics" is already an alias of burnout-and-moral-distress, a module bundled with Rounds',
    );
    expect(await versionsOf('my-burnout')).toEqual([]);
  });

  it('when the file is not an archive, too large or missing, then the form says so with 400', async () => {
    const notZip = await upload(new TextEncoder().encode('slug: x\n'), 'module.yaml');
    expect(notZip.status).toBe(400);
    expect(decodeHtml(notZip.text)).toContain('module.yaml: is not a .zip, .tar or .tar.gz archive');

    const tooBig = await upload(new Uint8Array(2 * 1024 * 1024 + 1), 'big.zip');
    expect(tooBig.status).toBe(400);
    expect(decodeHtml(tooBig.text)).toContain('The file is larger than 2 MB');

    const { csrf } = await openForm(admin, '/admin/modules');
    const none = await admin.post('/admin/modules').set('Accept', 'text/html').field('_csrf', csrf);
    expect(none.status).toBe(400);
    expect(decodeHtml(none.text)).toContain('Choose a pack file (.zip, .tar or .tar.gz) to upload.');
  });

  it('when the multipart body is broken (cut off mid-part), then a 4xx answer, never a crash', async () => {
    const { csrf } = await openForm(admin, '/admin/modules');
    const boundary = 'rounds-broken-boundary';
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="pack"; filename="pack.zip"\r\n` +
      'Content-Type: application/zip\r\n\r\nPK\u0003\u0004 cut off here';
    const response = await admin
      .post('/admin/modules')
      .set('Accept', 'text/html')
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it('when the form comes without its CSRF token, then 403 and nothing is stored', async () => {
    const response = await admin
      .post('/admin/modules')
      .set('Accept', 'text/html')
      .attach('pack', Buffer.from(packZip('no-token')), 'pack.zip');
    expect(response.status).toBe(403);
    expect(await versionsOf('no-token')).toEqual([]);
  });
});

describe('who may upload and download', () => {
  it('when a learner opens, uploads to or downloads from /admin/modules, then 403; without a session 401', async () => {
    const learner = (await signedInAs(rounds, 'nurse')).agent;
    await learner.get('/admin/modules').set('Accept', 'text/html').expect(403);
    const posted = await learner
      .post('/admin/modules')
      .set('Accept', 'text/html')
      .attach('pack', Buffer.from(packZip('learner-made')), 'pack.zip');
    expect(posted.status).toBe(403);
    await learner.get('/admin/modules/two-minute-resets/pack.zip').set('Accept', 'text/html').expect(403);
    await request(rounds.url)
      .get('/admin/modules/two-minute-resets/pack.zip')
      .set('Accept', 'text/html')
      .expect(401);
    expect(await versionsOf('learner-made')).toEqual([]);
  });
});

describe('downloading a pack', () => {
  it('when a bundled module is downloaded, then module.yaml is the text in content/modules; uploaded under a new slug, it is valid', async () => {
    const response = await download(admin, '/admin/modules/two-minute-resets/pack.zip').expect(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toContain('two-minute-resets-v1.zip');
    const files = unzipSync(new Uint8Array(response.body as Buffer));
    const bundledYaml = readFileSync(
      path.join(projectRoot, 'content/modules/two-minute-resets/module.yaml'),
      'utf8',
    );
    expect(strFromU8(files['two-minute-resets/module.yaml']!)).toBe(bundledYaml);
    const names = Object.keys(files).filter((name) => name.endsWith('.md'));
    expect(names.length).toBeGreaterThan(0);

    const asIs = await upload(new Uint8Array(response.body as Buffer));
    expect(asIs.status).toBe(400);
    expect(decodeHtml(asIs.text)).toContain(
      'two-minute-resets/module.yaml:1: slug: "two-minute-resets" is already the slug of a module bundled with Rounds',
    );

    const copy: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(files)) {
      copy[name.replace('two-minute-resets/', 'our-resets/')] = strFromU8(bytes);
    }
    copy['our-resets/module.yaml'] = copy['our-resets/module.yaml']!.replace(
      'slug: two-minute-resets',
      'slug: our-resets',
    );
    const uploaded = await upload(zipOf(copy));
    expect(uploaded.headers.location).toBe('/admin/modules?result=our-resets%3Anew%3A1');
    const ours = await resolveModule('our-resets', tenantId);
    const bundled = await resolveModule('two-minute-resets', tenantId);
    expect(ours?.bodies).toEqual(bundled?.bodies);
    expect(ours?.definition.steps).toEqual(bundled?.definition.steps);
  });

  it('when an earlier version is asked for, then that version downloads; an unknown version 404', async () => {
    await uploadOk(packZip('two-versions'));
    await uploadOk(packZip('two-versions', validModuleYaml('two-versions', 'Second')));
    const first = await download(admin, '/admin/modules/two-versions/pack.zip?version=1').expect(200);
    const yaml = strFromU8(unzipSync(new Uint8Array(first.body as Buffer))['two-versions/module.yaml']!);
    expect(yaml).toContain('title: A test module');
    const newest = await download(admin, '/admin/modules/two-versions/pack.zip').expect(200);
    expect(
      strFromU8(unzipSync(new Uint8Array(newest.body as Buffer))['two-versions/module.yaml']!),
    ).toContain('title: Second');
    await admin.get('/admin/modules/two-versions/pack.zip?version=3').set('Accept', 'text/html').expect(404);
    await admin.get('/admin/modules/two-versions/pack.zip?version=x').set('Accept', 'text/html').expect(404);
  });

  it('when another tenant’s module is asked for, then 404 as if it did not exist', async () => {
    const result = await uploadModulePack(
      {
        tenantId: otherTenant,
        userId: new mongoose.Types.ObjectId().toHexString(),
        courseId: '',
        role: 'admin',
        name: 'Other',
        courseTitle: '',
      },
      { fileName: 'theirs.zip', bytes: packZip('their-module') },
    );
    expect(result).toEqual({ ok: true, modules: [{ slug: 'their-module', status: 'new', version: 1 }] });
    await admin.get('/admin/modules/their-module/pack.zip').set('Accept', 'text/html').expect(404);
    await admin.get('/admin/modules/their-module/pack.zip?version=1').set('Accept', 'text/html').expect(404);
    expect(decodeHtml((await admin.get('/admin/modules').expect(200)).text)).not.toContain('their-module');
  });
});
