import express, { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { requireRole } from '../../shared/http/requireRole';
import { allowCspSource } from '../../shared/http/csp';
import { answerDeepLinkRequest, openDeepLinkPicker, type DeepLinkPicker } from './deeplink.service';
import { deepLinkSelectionSchema } from './deeplink.schemas';

const pickerPath = '/deeplink/:requestId';

function renderPicker(res: Response, picker: DeepLinkPicker, chosen: string[] = [], error?: string) {
  const groups = picker.groups.map((group) => ({
    ...group,
    targets: group.targets.map((target) => ({ ...target, checked: chosen.includes(target.key) })),
  }));
  const firstInputId = groups[0]?.targets[0]?.inputId ?? 'targets';
  res.render('lti/deeplink', {
    title: error ? 'Error: Add Rounds activities' : 'Add Rounds activities',
    picker: { ...picker, groups },
    targetsError: error,
    errors: error ? [{ href: `#${firstInputId}`, message: error }] : [],
  });
}

/**
 * `/lti/deeplink/:requestId`: the deep-linking picker (Deep Linking 2.0). The id_token itself arrives at
 * `POST /lti/deeplink` and is completed like any launch (launchCheck.routes.ts), which sends the instructor here.
 * It parses its own body: it is mounted before the app's body parsers, with the other LTI routes.
 */
export function deepLinkRouter(config: Config): Router {
  const router = Router();
  router.use(
    pickerPath,
    express.urlencoded({ extended: false, limit: '20kb' }),
    requireRole('instructor', 'admin'),
    csrfProtection(config.sessionSecret),
  );

  router.get(pickerPath, async (req: Request, res: Response) => {
    renderPicker(res, await openDeepLinkPicker(req.actor!, req.params.requestId as string));
  });

  router.post(pickerPath, async (req: Request, res: Response) => {
    const requestId = req.params.requestId as string;
    const selection = deepLinkSelectionSchema.safeParse(req.body ?? {});
    if (!selection.success) throw new ValidationError('Choose activities from the list.');
    let answer;
    try {
      answer = await answerDeepLinkRequest(req.actor!, requestId, selection.data, config.publicUrl);
    } catch (error) {
      const message = error instanceof ValidationError ? error.fields.targets : undefined;
      if (!message) throw error;
      res.status(400);
      return renderPicker(
        res,
        await openDeepLinkPicker(req.actor!, requestId),
        selection.data.targets,
        message,
      );
    }
    // The LMS's return URL may be on another host than its issuer (the registered frame and form origins).
    allowCspSource(res, 'form-action', answer.returnUrl);
    res.set('Cache-Control', 'no-store');
    res.render('lti/deeplink-return', {
      title: 'Returning to your course',
      returnUrl: answer.returnUrl,
      jwt: answer.jwt,
      placedTitles: answer.placed.map((target) => target.title),
    });
  });

  return router;
}
