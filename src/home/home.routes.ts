import { Router } from 'express';
import { requireRole } from '../shared/http/requireRole';
import { homePageFor } from './home.service';

/** The page every launch lands on. */
export function homeRouter(): Router {
  const router = Router();
  router.get('/home', requireRole('learner', 'instructor', 'admin'), (req, res) => {
    const page = homePageFor(req.actor!);
    res.render('home/index', {
      title: 'Home',
      ...page,
      isLearner: page.role === 'learner',
      isInstructor: page.role === 'instructor',
      isAdmin: page.role === 'admin',
    });
  });
  return router;
}
