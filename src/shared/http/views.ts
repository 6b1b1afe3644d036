import path from 'node:path';
import type { Express } from 'express';
import { engine } from 'express-handlebars';
import { projectRoot } from '../../config';
import { viewHelpers } from './viewHelpers';

export const viewsDir = path.join(projectRoot, 'views');

/** Handlebars views from views/ (layouts, partials, pages); compiled templates are cached in production. */
export function configureViews(app: Express, options: { cache: boolean }): void {
  app.engine(
    'hbs',
    engine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: path.join(viewsDir, 'layouts'),
      partialsDir: path.join(viewsDir, 'partials'),
      helpers: viewHelpers,
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', viewsDir);
  if (options.cache) app.enable('view cache');
}
