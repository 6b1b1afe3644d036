import express, { type Request, type RequestHandler, type Router } from 'express';
import { AppError, NotFoundError } from '../shared/errors';
import { sandboxCourse } from './sandbox.people';
import { sandboxUrls, serviceScopes } from './sandbox.claims';
import { paginate, stringParameter } from './sandbox.http';
import { requireScope } from './sandbox.token.routes';
import {
  createLineItem,
  deleteLineItem,
  getLineItem,
  lineItemInputSchema,
  listLineItems,
  listResults,
  parseServiceBody,
  recordScore,
  scoreInputSchema,
  updateLineItem,
} from './sandbox.ags.service';
import type { SandboxLineItemDocument } from './sandbox.model';
import type { SandboxContext } from './sandbox.types';

/** AGS 2.0 media types (§3.2, §3.3, §3.4). */
const mediaType = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  resultContainer: 'application/vnd.ims.lis.v2.resultcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
} as const;

/** Refuses a body of another media type (415) before it is parsed as something it is not. */
function requireContentType(...accepted: string[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.is([...accepted, 'application/json'])) {
      throw new AppError(`Content-Type must be ${accepted.join(' or ')}`, 415, 'unsupported_media_type');
    }
    next();
  };
}

function lineItemIdOf(req: Request): number {
  const raw = String(req.params.lineItemId);
  if (!/^\d+$/.test(raw)) throw new NotFoundError('No such line item in this course.');
  return Number(raw);
}

/**
 * The Assignment and Grade Services of the sandbox course, shaped like Moodle's
 * mod/lti/service/gradebookservices (ids carry `?type_id=1`; scores at `<line item path>/scores`).
 */
export function createAgsRouter(context: SandboxContext): Router {
  const router = express.Router();
  const urls = sandboxUrls(context.base);
  const lineItemBody = (item: SandboxLineItemDocument) => ({
    id: urls.lineItem(item.lineItemId),
    label: item.label,
    scoreMaximum: item.scoreMaximum,
    resourceId: item.resourceId ?? undefined,
    tag: item.tag ?? undefined,
    resourceLinkId: item.resourceLinkId ?? undefined,
    startDateTime: item.startDateTime ?? undefined,
    endDateTime: item.endDateTime ?? undefined,
  });
  const canRead = requireScope(context, serviceScopes.lineItem, serviceScopes.lineItemReadOnly);
  const canWrite = requireScope(context, serviceScopes.lineItem);
  const parseJson = express.json({ type: [mediaType.lineItem, mediaType.score, 'application/json'] });
  const lineItemPath = '/ags/contexts/:contextId/lineitems/:lineItemId/lineitem';

  router.use('/ags', (req, res, next) => {
    // The test switch comes first: an LMS that is down answers nothing else.
    if (!context.isAgsAvailable()) {
      res.status(503).set('Retry-After', '30');
      res.json({ error: { code: 'unavailable', message: 'The sandbox LMS grade service is switched off.' } });
      return;
    }
    const typeId = req.query.type_id;
    // A tool that appended /scores after the query string sends type_id=1/scores: say so.
    if (typeId !== undefined && typeId !== '1') {
      throw new AppError(`type_id: unknown tool type ${JSON.stringify(typeId)}`, 400, 'invalid_request');
    }
    next();
  });
  router.use('/ags/contexts/:contextId', (req, _res, next) => {
    if (req.params.contextId !== sandboxCourse.contextId) throw new NotFoundError('No such course.');
    next();
  });

  router.get('/ags/contexts/:contextId/lineitems', canRead, async (req, res) => {
    const items = await listLineItems(context.issuer, {
      resourceLinkId: stringParameter(req, 'resource_link_id'),
      resourceId: stringParameter(req, 'resource_id'),
      tag: stringParameter(req, 'tag'),
    });
    const page = paginate(req, res, context.issuer, items);
    res.type(mediaType.lineItemContainer).json(page.map(lineItemBody));
  });

  router.post(
    '/ags/contexts/:contextId/lineitems',
    canWrite,
    requireContentType(mediaType.lineItem),
    parseJson,
    async (req, res) => {
      const input = parseServiceBody(lineItemInputSchema, req.body, 'invalid_line_item');
      const item = await createLineItem(context.issuer, input);
      context.logger.info({ lineItemId: item.lineItemId, label: item.label }, 'sandbox line item created');
      res.status(201).type(mediaType.lineItem).json(lineItemBody(item));
    },
  );

  router.get(lineItemPath, canRead, async (req, res) => {
    res.type(mediaType.lineItem).json(lineItemBody(await getLineItem(context.issuer, lineItemIdOf(req))));
  });

  router.put(lineItemPath, canWrite, requireContentType(mediaType.lineItem), parseJson, async (req, res) => {
    const input = parseServiceBody(lineItemInputSchema, req.body, 'invalid_line_item');
    const item = await updateLineItem(context.issuer, lineItemIdOf(req), input);
    res.type(mediaType.lineItem).json(lineItemBody(item));
  });

  router.delete(lineItemPath, canWrite, async (req, res) => {
    await deleteLineItem(context.issuer, lineItemIdOf(req));
    res.status(204).end();
  });

  router.post(
    `${lineItemPath}/scores`,
    requireScope(context, serviceScopes.score),
    requireContentType(mediaType.score),
    parseJson,
    async (req, res) => {
      const score = parseServiceBody(scoreInputSchema, req.body, 'invalid_score');
      const lineItemId = lineItemIdOf(req);
      await recordScore(context.issuer, lineItemId, score);
      context.logger.info({ lineItemId, userId: score.userId }, 'sandbox score received');
      res.status(200).end();
    },
  );

  router.get(
    `${lineItemPath}/results`,
    requireScope(context, serviceScopes.resultReadOnly),
    async (req, res) => {
      const lineItemId = lineItemIdOf(req);
      const { results } = await listResults(context.issuer, lineItemId, stringParameter(req, 'user_id'));
      const scoreOf = urls.lineItem(lineItemId);
      const resultsPath = `${urls.lineItemPath(lineItemId)}/results?type_id=1`;
      const page = paginate(req, res, context.issuer, results);
      res.type(mediaType.resultContainer).json(
        page.map((result) => ({
          id: `${resultsPath}&user_id=${encodeURIComponent(result.userId)}`,
          scoreOf,
          ...result,
        })),
      );
    },
  );

  // Other methods on these resources (e.g. POST to the line item itself) are not offered, as in Moodle.
  const knownPaths = [
    '/ags/contexts/:contextId/lineitems',
    lineItemPath,
    `${lineItemPath}/scores`,
    `${lineItemPath}/results`,
  ];
  router.all(knownPaths, (req, res) => {
    res
      .status(405)
      .json({ error: { code: 'method_not_allowed', message: `${req.method} is not offered here.` } });
  });

  return router;
}
